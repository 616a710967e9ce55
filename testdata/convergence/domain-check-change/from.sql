-- domain-check-change (from): the expression of a named domain check changes

CREATE DOMAIN public.percent AS numeric(5,2)
    CONSTRAINT percent_range CHECK (VALUE >= 0 AND VALUE <= 100);

-- domain-over-domain (from): a domain defined over another domain

CREATE DOMAIN public.positive_numeric AS numeric
    CONSTRAINT positive_numeric_check CHECK (VALUE > 0);

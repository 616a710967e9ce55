-- composite-function-arg (from): a function over a composite type

CREATE TYPE public.money_t AS (amount numeric(12,2), currency char(3));

CREATE FUNCTION public.fmt(m public.money_t) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN (m).amount::text || ' ' || (m).currency;

-- composite-function-arg (to): the type gains an attribute; the function is kept

CREATE TYPE public.money_t AS (amount numeric(12,2), currency char(3), note text);

CREATE FUNCTION public.fmt(m public.money_t) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN (m).amount::text || ' ' || (m).currency;

-- function-variadic (to): the same argument type, declared VARIADIC (a new parameter mode: drop and create)

CREATE FUNCTION public.first_present(VARIADIC vals text[]) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT v FROM unnest(vals) v WHERE v IS NOT NULL LIMIT 1 $$;

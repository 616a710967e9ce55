-- function-variadic (from): a function over an array

CREATE FUNCTION public.first_present(vals text[]) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT v FROM unnest(vals) v WHERE v IS NOT NULL LIMIT 1 $$;

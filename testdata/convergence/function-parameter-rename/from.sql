-- function-parameter-rename (from): a function with a parameter named n

CREATE FUNCTION public.double_it(n integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN n * 2;

-- function-parameter-rename (to): the parameter is renamed, which CREATE OR REPLACE refuses: drop and create

CREATE FUNCTION public.double_it(value integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN value * 2;

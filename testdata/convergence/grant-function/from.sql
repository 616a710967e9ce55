-- grant-function (from): a function with the default EXECUTE for PUBLIC

CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    RETURN a + b;

-- grant-function-recreated (from): a function granted to the writer

CREATE FUNCTION public.add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE
    RETURN a + b;

REVOKE EXECUTE ON FUNCTION public.add(integer, integer) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.add(integer, integer) TO sextant_writer;

-- grant-function-recreated (to): its result type changes (drop and create) and it keeps its grants

CREATE FUNCTION public.add(a integer, b integer) RETURNS bigint LANGUAGE sql IMMUTABLE
    RETURN a + b;

REVOKE EXECUTE ON FUNCTION public.add(integer, integer) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.add(integer, integer) TO sextant_writer;

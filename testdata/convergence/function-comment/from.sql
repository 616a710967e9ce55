-- function-comment (from): a function and a procedure with comments

CREATE FUNCTION public.answer() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 42;

CREATE PROCEDURE public.noop()
    LANGUAGE sql
    AS $$ SELECT 1 $$;

COMMENT ON FUNCTION public.answer() IS 'the answer';
COMMENT ON PROCEDURE public.noop() IS 'does nothing';

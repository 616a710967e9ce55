-- function-comment (to): one comment changes, the other is removed

CREATE FUNCTION public.answer() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 42;

CREATE PROCEDURE public.noop()
    LANGUAGE sql
    AS $$ SELECT 1 $$;

COMMENT ON FUNCTION public.answer() IS 'the answer to everything';

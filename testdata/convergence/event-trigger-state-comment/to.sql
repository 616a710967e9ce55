-- event-trigger-state-comment (to): one disabled with a comment, one ENABLE ALWAYS

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end
    EXECUTE FUNCTION public.log_ddl();

CREATE EVENT TRIGGER log_rewrite ON table_rewrite
    EXECUTE FUNCTION public.log_ddl();

ALTER EVENT TRIGGER log_ddl DISABLE;
ALTER EVENT TRIGGER log_rewrite ENABLE ALWAYS;
COMMENT ON EVENT TRIGGER log_ddl IS 'audit';

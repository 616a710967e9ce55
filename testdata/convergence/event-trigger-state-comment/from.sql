-- event-trigger-state-comment (from): an enabled event trigger

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

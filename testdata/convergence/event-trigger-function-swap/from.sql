-- event-trigger-function-swap (from): an event trigger executes public.log_ddl()

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end
    EXECUTE FUNCTION public.log_ddl();

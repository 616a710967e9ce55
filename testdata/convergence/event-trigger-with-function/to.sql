-- event-trigger-with-function (to): an event trigger and its function in one plan

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON ddl_command_start
    EXECUTE FUNCTION public.log_ddl();

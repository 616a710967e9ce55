-- event-trigger-tags-change (from): an event trigger for CREATE TABLE

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE')
    EXECUTE FUNCTION public.log_ddl();

-- event-trigger-add (to): an event trigger on ddl_command_end for two tags

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end
    WHEN TAG IN ('CREATE TABLE', 'alter table')
    EXECUTE FUNCTION public.log_ddl();

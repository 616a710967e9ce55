-- event-trigger-tags-change (to): for DROP TABLE and CREATE INDEX

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end
    WHEN TAG IN ('DROP TABLE', 'CREATE INDEX')
    EXECUTE FUNCTION public.log_ddl();

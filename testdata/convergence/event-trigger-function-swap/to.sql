-- event-trigger-function-swap (to): it executes a function in a new schema; the old function is dropped

CREATE SCHEMA audit;

CREATE FUNCTION audit.note_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end
    EXECUTE FUNCTION audit.note_ddl();

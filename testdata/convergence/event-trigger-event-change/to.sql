-- event-trigger-event-change (to): on sql_drop

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

CREATE EVENT TRIGGER log_ddl ON sql_drop
    EXECUTE FUNCTION public.log_ddl();

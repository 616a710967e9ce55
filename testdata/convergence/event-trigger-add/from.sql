-- event-trigger-add (from): an event trigger function

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
END;
$$;

-- trigger-other-schema (to): a schema with a table, a trigger function and a trigger, quoted names

CREATE SCHEMA app;

CREATE TABLE app."Events" (
    id integer NOT NULL,
    updated_at timestamp with time zone,
    CONSTRAINT "Events_pkey" PRIMARY KEY (id)
);

CREATE FUNCTION app.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER "Touch Events" BEFORE UPDATE ON app."Events"
    FOR EACH ROW EXECUTE FUNCTION app.touch();

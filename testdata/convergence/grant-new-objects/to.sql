-- grant-new-objects (to): a schema, table, sequence and function created with grants

CREATE SCHEMA app;

CREATE TABLE app.item (
    id integer NOT NULL,
    name text,
    CONSTRAINT item_pkey PRIMARY KEY (id)
);

CREATE SEQUENCE app.item_seq;

CREATE FUNCTION app.item_count() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM app.item; END;

GRANT USAGE ON SCHEMA app TO sextant_reader;

GRANT SELECT ON TABLE app.item TO sextant_reader;

GRANT UPDATE (name) ON TABLE app.item TO sextant_writer;

GRANT USAGE ON SEQUENCE app.item_seq TO sextant_writer;

REVOKE EXECUTE ON FUNCTION app.item_count() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION app.item_count() TO sextant_reader;

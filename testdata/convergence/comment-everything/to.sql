-- comment-everything (to): comments on schema, table, column, index, constraint, type, domain and sequence all change at once

CREATE SCHEMA app;
CREATE TYPE app.kind AS ENUM ('x', 'y');
CREATE DOMAIN app.name AS text;
CREATE SEQUENCE app.counter;
CREATE TABLE app.things (
    id integer NOT NULL,
    kind app.kind NOT NULL,
    name app.name,
    CONSTRAINT things_pkey PRIMARY KEY (id),
    CONSTRAINT things_name_check CHECK (name <> '')
);
CREATE INDEX things_kind_idx ON app.things (kind);

COMMENT ON SCHEMA app IS 'v2';
COMMENT ON TYPE app.kind IS 'v2';
COMMENT ON DOMAIN app.name IS 'v2';
COMMENT ON SEQUENCE app.counter IS 'v2';
COMMENT ON TABLE app.things IS 'v2';
COMMENT ON COLUMN app.things.kind IS 'v2';
COMMENT ON INDEX app.things_kind_idx IS 'v2';
COMMENT ON CONSTRAINT things_name_check ON app.things IS 'v2';

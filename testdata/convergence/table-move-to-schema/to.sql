-- table-move-to-schema (to): a table disappears from public and a table of the same shape exists in another schema

CREATE SCHEMA app;

CREATE TABLE app.notes (
    id integer NOT NULL,
    body text NOT NULL,
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);

-- table-move-to-schema (from): a table disappears from public and a table of the same shape exists in another schema

CREATE SCHEMA app;

CREATE TABLE public.notes (
    id integer NOT NULL,
    body text NOT NULL,
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);

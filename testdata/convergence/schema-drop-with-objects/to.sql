-- schema-drop-with-objects (to): a schema with a table, enum, sequence and index is dropped as a whole

CREATE TABLE public.kept (
    id integer NOT NULL,
    CONSTRAINT kept_pkey PRIMARY KEY (id)
);

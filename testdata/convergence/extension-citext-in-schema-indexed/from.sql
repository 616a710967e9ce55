-- extension-citext-in-schema-indexed (from): a citext column from an extension schema with a unique index

CREATE SCHEMA ext;

CREATE TABLE public.tags (
    id integer NOT NULL,
    CONSTRAINT tags_pkey PRIMARY KEY (id)
);

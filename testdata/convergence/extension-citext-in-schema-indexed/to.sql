-- extension-citext-in-schema-indexed (to): a citext column from an extension schema with a unique index

CREATE SCHEMA ext;

CREATE EXTENSION citext SCHEMA ext;

CREATE TABLE public.tags (
    id integer NOT NULL,
    name ext.citext NOT NULL,
    CONSTRAINT tags_pkey PRIMARY KEY (id)
);

CREATE UNIQUE INDEX tags_name_uidx ON public.tags (name);

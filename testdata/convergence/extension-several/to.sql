-- extension-several (to): several extensions are installed at once, one in its own schema

CREATE SCHEMA extensions;

CREATE EXTENSION pgcrypto SCHEMA extensions;
CREATE EXTENSION citext;
CREATE EXTENSION btree_gist;
CREATE EXTENSION pg_trgm;

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

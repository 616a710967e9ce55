-- extension-pg-trgm-index (to): pg_trgm is installed and a trigram GIN index is created

CREATE EXTENSION pg_trgm;

CREATE TABLE public.places (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT places_pkey PRIMARY KEY (id)
);

CREATE INDEX places_name_trgm_idx ON public.places USING gin (name gin_trgm_ops);

-- extension-pg-trgm-index (from): pg_trgm is installed and a trigram GIN index is created

CREATE TABLE public.places (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT places_pkey PRIMARY KEY (id)
);

-- collation-create-icu (to): an ICU collation and a column using it

CREATE COLLATION public.german (provider = icu, locale = 'de-DE');

CREATE TABLE public.t (
    id integer NOT NULL,
    name text COLLATE public.german,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

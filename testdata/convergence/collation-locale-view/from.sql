-- collation-locale-view (from): an ICU collation used by a column a view reads

CREATE COLLATION public.local (provider = icu, locale = 'de-DE');

CREATE TABLE public.t (
    id integer NOT NULL,
    name text COLLATE public.local,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE VIEW public.names AS SELECT t.id, t.name FROM public.t;

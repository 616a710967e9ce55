-- collation-locale-view (to): its locale changes: the view is recreated around the conversion

CREATE COLLATION public.local (provider = icu, locale = 'fr-FR');

CREATE TABLE public.t (
    id integer NOT NULL,
    name text COLLATE public.local,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE VIEW public.names AS SELECT t.id, t.name FROM public.t;

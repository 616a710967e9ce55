-- matview-index-function (from): an expression index on a materialized view calls a function

CREATE TABLE public.cities (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT cities_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.fold(s text) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN lower(s);

CREATE MATERIALIZED VIEW public.city_names AS
    SELECT id, name FROM public.cities;

CREATE INDEX city_names_fold ON public.city_names (public.fold(name));

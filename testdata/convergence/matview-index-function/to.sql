-- matview-index-function (to): the function's parameter is renamed (drop and create): the materialized view goes with its index and comes back after

CREATE TABLE public.cities (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT cities_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN lower(value);

CREATE MATERIALIZED VIEW public.city_names AS
    SELECT id, name FROM public.cities;

CREATE INDEX city_names_fold ON public.city_names (public.fold(name));

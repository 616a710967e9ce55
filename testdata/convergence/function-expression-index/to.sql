-- function-expression-index (to): the function's parameter is renamed (drop and create): the index is dropped before and built again after

CREATE FUNCTION public.norm(value text) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN lower(value);

CREATE TABLE public.people (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT people_pkey PRIMARY KEY (id)
);

CREATE INDEX people_norm_name ON public.people (public.norm(name));

-- function-expression-index (from): an expression index calls an immutable function

CREATE FUNCTION public.norm(s text) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN lower(s);

CREATE TABLE public.people (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT people_pkey PRIMARY KEY (id)
);

CREATE INDEX people_norm_name ON public.people (public.norm(name));

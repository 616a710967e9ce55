-- composite-attribute-type-used (from): a composite type used by a column

CREATE TYPE public.pair AS (a integer, b text);

CREATE TABLE public.t (
    id integer NOT NULL,
    p public.pair,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

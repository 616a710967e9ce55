-- composite-attribute-type-used (to): an attribute changes type: the type is recreated and the column converted

CREATE TYPE public.pair AS (a bigint, b text);

CREATE TABLE public.t (
    id integer NOT NULL,
    p public.pair,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

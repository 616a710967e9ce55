-- composite-add-attribute (from): a composite type used by a column

CREATE TYPE public.address AS (street text, city text);

CREATE TABLE public.t (
    id integer NOT NULL,
    home public.address,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

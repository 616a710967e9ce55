-- composite-drop-attribute (from): a composite type with three attributes used by a column

CREATE TYPE public.address AS (street text, city text, note text);

CREATE TABLE public.t (
    id integer NOT NULL,
    home public.address,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

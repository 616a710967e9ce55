-- composite-drop-attribute (to): the middle attribute is dropped

CREATE TYPE public.address AS (street text, note text);

CREATE TABLE public.t (
    id integer NOT NULL,
    home public.address,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

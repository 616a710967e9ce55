-- composite-add-attribute (to): the type gains an attribute at the end

CREATE TYPE public.address AS (street text, city text, country char(2));

CREATE TABLE public.t (
    id integer NOT NULL,
    home public.address,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- composite-create (to): a composite type and a column of it

CREATE TYPE public.address AS (street text, city text, zip varchar(10));

CREATE TABLE public.t (
    id integer NOT NULL,
    home public.address,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

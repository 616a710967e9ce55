-- range-collation (to): the range type uses COLLATE "C": recreated, the column converted

CREATE TYPE public.textrange AS RANGE (subtype = text, collation = "C");

CREATE TABLE public.t (
    id integer NOT NULL,
    r public.textrange,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- range-collation (from): a text range type used by a column

CREATE TYPE public.textrange AS RANGE (subtype = text);

CREATE TABLE public.t (
    id integer NOT NULL,
    r public.textrange,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

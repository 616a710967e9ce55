-- range-create (to): a range type over float8 with a built-in difference function, and a column of it

CREATE TYPE public.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);

CREATE TABLE public.t (
    id integer NOT NULL,
    r public.floatrange,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

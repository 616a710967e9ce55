-- range-exclusion (from): a range type used by a column with an exclusion constraint

CREATE TYPE public.floatrange AS RANGE (subtype = float8);

CREATE TABLE public.t (
    id integer NOT NULL,
    r public.floatrange,
    CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

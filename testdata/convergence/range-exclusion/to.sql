-- range-exclusion (to): the range type gains a difference function

CREATE TYPE public.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);

CREATE TABLE public.t (
    id integer NOT NULL,
    r public.floatrange,
    CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- enum-create (from): an enum type is created (unused)

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

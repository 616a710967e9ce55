-- unique-nulls-not-distinct (from): a unique constraint becomes NULLS NOT DISTINCT (PostgreSQL 15)

CREATE TABLE public.t (
    id integer NOT NULL,
    a integer,
    b integer,
    CONSTRAINT t_pkey PRIMARY KEY (id),
    CONSTRAINT t_a_b_key UNIQUE (a, b)
);

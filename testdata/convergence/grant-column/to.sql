-- grant-column (to): column privileges

CREATE TABLE public.t (
    id integer NOT NULL,
    name text,
    secret text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

GRANT SELECT (id, name) ON TABLE public.t TO sextant_reader;

GRANT UPDATE (name) ON TABLE public.t TO sextant_writer;

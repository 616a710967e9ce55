-- grant-column (from): a table

CREATE TABLE public.t (
    id integer NOT NULL,
    name text,
    secret text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

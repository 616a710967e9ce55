-- column-type-to-domain (from): a text column becomes a column of a new domain

CREATE TABLE public.t (
    id integer NOT NULL,
    email text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

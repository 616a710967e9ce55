-- identity-serial-to-identity (from): a serial column becomes an identity column

CREATE TABLE public.t (
    id serial NOT NULL,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

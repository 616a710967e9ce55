-- column-type-real-to-double (from): real becomes double precision, smallint becomes integer

CREATE TABLE public.t (
    id integer NOT NULL,
    ratio real,
    rank smallint,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

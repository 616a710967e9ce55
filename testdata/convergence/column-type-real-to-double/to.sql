-- column-type-real-to-double (to): real becomes double precision, smallint becomes integer

CREATE TABLE public.t (
    id integer NOT NULL,
    ratio double precision,
    rank integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

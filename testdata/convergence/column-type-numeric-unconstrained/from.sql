-- column-type-numeric-unconstrained (from): plain numeric becomes numeric(12,2)

CREATE TABLE public.t (
    id integer NOT NULL,
    price numeric,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-numeric-unconstrained (to): plain numeric becomes numeric(12,2)

CREATE TABLE public.t (
    id integer NOT NULL,
    price numeric(12,2),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-numeric-precision (to): numeric(10,2) becomes numeric(14,4)

CREATE TABLE public.t (
    id integer NOT NULL,
    amount numeric(14,4) NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-check-constraint (to): a column under a CHECK constraint goes integer -> numeric(10,2)

CREATE TABLE public.t (
    id integer NOT NULL,
    price numeric(10,2) NOT NULL,
    CONSTRAINT t_price_positive CHECK (price > 0),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-check-constraint (from): a column under a CHECK constraint goes integer -> numeric(10,2)

CREATE TABLE public.t (
    id integer NOT NULL,
    price integer NOT NULL,
    CONSTRAINT t_price_positive CHECK (price > 0),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- check-not-valid (from): a NOT VALID check constraint becomes validated

CREATE TABLE public.t (
    id integer NOT NULL,
    qty integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

ALTER TABLE public.t ADD CONSTRAINT t_qty_check CHECK (qty > 0) NOT VALID;

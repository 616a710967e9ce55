-- column-default-nextval (from): a column defaults to nextval() of a standalone sequence (created in the same migration)

CREATE TABLE public.invoices (
    id integer NOT NULL,
    number bigint NOT NULL,
    CONSTRAINT invoices_pkey PRIMARY KEY (id)
);

-- column-default-nextval (to): a column defaults to nextval() of a standalone sequence (created in the same migration)

CREATE SEQUENCE public.invoice_number_seq START WITH 10000;

CREATE TABLE public.invoices (
    id integer NOT NULL,
    number bigint NOT NULL DEFAULT nextval('public.invoice_number_seq'),
    CONSTRAINT invoices_pkey PRIMARY KEY (id)
);

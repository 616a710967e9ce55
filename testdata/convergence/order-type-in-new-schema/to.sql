-- order-type-in-new-schema (to): a new schema with an enum, a domain and a sequence used by a new table in that schema

CREATE TABLE public.customers (
    id bigint NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE SCHEMA billing;

CREATE TYPE billing.invoice_state AS ENUM ('draft', 'issued', 'paid', 'void');

CREATE DOMAIN billing.amount AS numeric(14,2)
    CONSTRAINT amount_non_negative CHECK (VALUE >= 0);

CREATE SEQUENCE billing.invoice_no START WITH 1000;

CREATE TABLE billing.invoices (
    id bigint NOT NULL DEFAULT nextval('billing.invoice_no'),
    customer_id bigint NOT NULL,
    state billing.invoice_state NOT NULL DEFAULT 'draft',
    total billing.amount NOT NULL,
    CONSTRAINT invoices_pkey PRIMARY KEY (id),
    CONSTRAINT invoices_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id)
);

-- domain-create (to): a domain with a named check is created and used by a new column

CREATE DOMAIN public.currency_code AS char(3)
    CONSTRAINT currency_code_upper CHECK (VALUE ~ '^[A-Z]{3}$');

CREATE TABLE public.accounts (
    id integer NOT NULL,
    currency public.currency_code,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

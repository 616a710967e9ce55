-- domain-create (from): a domain with a named check is created and used by a new column

CREATE TABLE public.accounts (
    id integer NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

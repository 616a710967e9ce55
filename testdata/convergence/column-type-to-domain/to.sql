-- column-type-to-domain (to): a text column becomes a column of a new domain

CREATE DOMAIN public.email_address AS text
    CONSTRAINT email_address_check CHECK (VALUE ~ '^[^@]+@[^@]+$');

CREATE TABLE public.t (
    id integer NOT NULL,
    email public.email_address NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

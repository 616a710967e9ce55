-- domain-used-by-column (to): a domain used by table columns changes its check while in use

CREATE DOMAIN public.email AS text
    CONSTRAINT email_check CHECK (VALUE ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$');

CREATE TABLE public.contacts (
    id integer NOT NULL,
    primary_email public.email NOT NULL,
    backup_email public.email,
    CONSTRAINT contacts_pkey PRIMARY KEY (id)
);

CREATE UNIQUE INDEX contacts_primary_email_idx ON public.contacts (primary_email);

-- domain-base-type-change (to): a domain changes its base type (varchar(20) -> varchar(40)) while used by a column

CREATE DOMAIN public.phone AS varchar(40)
    CONSTRAINT phone_check CHECK (VALUE ~ '^\+?[0-9 ]+$');

CREATE TABLE public.people (
    id integer NOT NULL,
    phone public.phone,
    CONSTRAINT people_pkey PRIMARY KEY (id)
);

-- order-drop-schema-referenced-from-public (to): a schema is dropped whose table is referenced from public (the FK and column go too)

CREATE TABLE public.addresses (
    id integer NOT NULL,
    street text NOT NULL,
    CONSTRAINT addresses_pkey PRIMARY KEY (id)
);

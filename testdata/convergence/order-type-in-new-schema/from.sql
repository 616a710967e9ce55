-- order-type-in-new-schema (from): a new schema with an enum, a domain and a sequence used by a new table in that schema

CREATE TABLE public.customers (
    id bigint NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

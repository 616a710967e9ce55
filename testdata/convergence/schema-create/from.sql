-- schema-create (from): a new schema holding one table

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

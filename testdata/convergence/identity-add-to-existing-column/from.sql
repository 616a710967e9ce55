-- identity-add-to-existing-column (from): an existing NOT NULL column becomes an identity column

CREATE TABLE public.t (
    id bigint NOT NULL,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

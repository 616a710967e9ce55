-- unique-multi-column (from): a unique constraint changes from one column to (tenant_id, email)

CREATE TABLE public.users (
    id integer NOT NULL,
    tenant_id integer NOT NULL,
    email text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email)
);

-- index-change-method (from): an index of the same name changes from btree to hash

CREATE TABLE public.users (
    id bigint NOT NULL,
    tenant_id integer NOT NULL,
    email text NOT NULL,
    name text,
    status text NOT NULL DEFAULT 'active',
    last_login timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    profile jsonb,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE INDEX users_email_idx ON public.users (email);

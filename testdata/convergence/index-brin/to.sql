-- index-brin (to): a BRIN index with a storage parameter is added

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

CREATE INDEX users_created_brin_idx ON public.users USING brin (created_at) WITH (pages_per_range = 32);

-- index-desc-nulls (to): index column ordering: DESC, NULLS FIRST / LAST

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

CREATE INDEX users_login_idx ON public.users (last_login DESC NULLS LAST, id NULLS FIRST);

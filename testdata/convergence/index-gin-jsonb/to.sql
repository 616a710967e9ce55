-- index-gin-jsonb (to): GIN indexes on jsonb with default and jsonb_path_ops operator classes

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

CREATE INDEX users_profile_gin_idx ON public.users USING gin (profile);
CREATE INDEX users_profile_path_idx ON public.users USING gin (profile jsonb_path_ops);

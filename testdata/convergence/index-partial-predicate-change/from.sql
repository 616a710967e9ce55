-- index-partial-predicate-change (from): the WHERE predicate of a partial unique index changes

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

CREATE UNIQUE INDEX users_email_live_uidx ON public.users (email) WHERE status <> 'deleted';

-- table-drop-with-dependents (from): a table with indexes, checks and a unique constraint is dropped

CREATE TABLE public.keep (
    id integer NOT NULL,
    CONSTRAINT keep_pkey PRIMARY KEY (id)
);

CREATE TABLE public.sessions (
    id uuid NOT NULL,
    user_id bigint NOT NULL,
    token text NOT NULL,
    expires_at timestamptz NOT NULL,
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT sessions_token_key UNIQUE (token),
    CONSTRAINT sessions_token_len CHECK (length(token) >= 32)
);

CREATE INDEX sessions_user_idx ON public.sessions (user_id);
CREATE INDEX sessions_expires_idx ON public.sessions (expires_at DESC);

COMMENT ON TABLE public.sessions IS 'Login sessions';

-- column-add-not-null-default (to): NOT NULL columns with defaults are added

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    login_count integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

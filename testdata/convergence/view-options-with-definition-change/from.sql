-- view-options-with-definition-change (from): a security-barrier view

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.visible_users WITH (security_barrier) AS
    SELECT id, email FROM public.users WHERE active;

-- view-security-barrier (to): the view becomes a security barrier and runs with the invoker's rights (security_invoker, PostgreSQL 15)

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.visible_users WITH (security_barrier, security_invoker = true) AS
    SELECT id, email FROM public.users WHERE active;

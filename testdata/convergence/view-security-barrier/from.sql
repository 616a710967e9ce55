-- view-security-barrier (from): a plain filtering view

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.visible_users AS
    SELECT id, email FROM public.users WHERE active;

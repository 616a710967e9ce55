-- view-definition-change (from): a view filters on one condition

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    deleted_at timestamptz,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.active_users AS
    SELECT id, email FROM public.users WHERE active;

CREATE VIEW public.active_user_count AS
    SELECT count(*) AS n FROM public.active_users;

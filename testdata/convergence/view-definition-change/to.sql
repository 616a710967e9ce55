-- view-definition-change (to): the view's condition changes, its columns stay (replaced in place; the view over it survives)

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    deleted_at timestamptz,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.active_users AS
    SELECT id, email FROM public.users WHERE active AND deleted_at IS NULL;

CREATE VIEW public.active_user_count AS
    SELECT count(*) AS n FROM public.active_users;

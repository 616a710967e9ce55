-- view-check-option (from): an updatable view with a local check option

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.active_users AS
    SELECT id, email, active FROM public.users WHERE active
    WITH LOCAL CHECK OPTION;

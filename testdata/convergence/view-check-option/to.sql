-- view-check-option (to): the check option becomes cascaded

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.active_users AS
    SELECT id, email, active FROM public.users WHERE active
    WITH CASCADED CHECK OPTION;

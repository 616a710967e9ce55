-- view-comment (to): comments on the view and on one of its columns

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.user_list AS
    SELECT id, email FROM public.users;

COMMENT ON VIEW public.user_list IS 'users by id';
COMMENT ON COLUMN public.user_list.email IS 'login address';

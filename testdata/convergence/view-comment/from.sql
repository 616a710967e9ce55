-- view-comment (from): a view without comments

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.user_list AS
    SELECT id, email FROM public.users;

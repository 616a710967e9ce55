-- view-column-removed-with-dependant (from): a view of three columns and a view over it

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.user_cards AS
    SELECT id, email, name FROM public.users;

CREATE VIEW public.user_emails AS
    SELECT email FROM public.user_cards;

-- view-column-removed-with-dependant (to): the view loses a column: it is recreated, and the view over it with it

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.user_cards AS
    SELECT id, email FROM public.users;

CREATE VIEW public.user_emails AS
    SELECT email FROM public.user_cards;

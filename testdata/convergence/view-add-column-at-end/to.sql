-- view-add-column-at-end (to): the view gains a column at the end (CREATE OR REPLACE VIEW; dropping it again needs a recreate)

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.user_list AS
    SELECT id, email, name FROM public.users;

-- view-output-type-change (to): the same column cast to text: the view is recreated (CREATE OR REPLACE VIEW cannot change a column's type)

CREATE TABLE public.users (
    id integer NOT NULL,
    email text NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

CREATE VIEW public.user_ids AS
    SELECT id::text AS id, email FROM public.users;

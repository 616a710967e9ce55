-- view-drop-column-used (to): the column is dropped and the view stops reading it: the view is replaced before the column goes

CREATE TABLE public.accounts (
    id integer NOT NULL,
    owner text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

CREATE VIEW public.current_accounts AS
    SELECT id, owner FROM public.accounts;

-- view-drop-column-selected (to): the column is dropped and the view loses it: both views are dropped before the column and recreated after

CREATE TABLE public.accounts (
    id integer NOT NULL,
    owner text NOT NULL,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

CREATE VIEW public.account_names AS
    SELECT id, owner FROM public.accounts;

CREATE VIEW public.account_owners AS
    SELECT DISTINCT owner FROM public.account_names;

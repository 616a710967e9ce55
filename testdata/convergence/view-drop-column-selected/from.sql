-- view-drop-column-selected (from): a view selects a column, another view reads that view

CREATE TABLE public.accounts (
    id integer NOT NULL,
    owner text NOT NULL,
    nickname text,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

CREATE VIEW public.account_names AS
    SELECT id, owner, nickname FROM public.accounts;

CREATE VIEW public.account_owners AS
    SELECT DISTINCT owner FROM public.account_names;

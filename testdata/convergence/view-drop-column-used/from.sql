-- view-drop-column-used (from): a view reads a column in its condition

CREATE TABLE public.accounts (
    id integer NOT NULL,
    owner text NOT NULL,
    legacy_flag boolean,
    CONSTRAINT accounts_pkey PRIMARY KEY (id)
);

CREATE VIEW public.current_accounts AS
    SELECT id, owner FROM public.accounts WHERE legacy_flag IS NOT TRUE;

-- rls-force-only (to): FORCE ROW LEVEL SECURITY without ENABLE

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents FORCE ROW LEVEL SECURITY;

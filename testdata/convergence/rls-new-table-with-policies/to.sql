-- rls-new-table-with-policies (to): a new table with row level security and two policies

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;

CREATE POLICY documents_owner ON public.documents
    USING (owner = CURRENT_USER);

CREATE POLICY documents_insert ON public.documents FOR INSERT TO PUBLIC
    WITH CHECK (owner = CURRENT_USER);

-- policy-subquery-new-table (to): a policy whose USING reads a table created in the same plan

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;

CREATE TABLE public.members (
    tenant_id integer NOT NULL,
    username text NOT NULL,
    CONSTRAINT members_pkey PRIMARY KEY (tenant_id, username)
);

CREATE POLICY documents_member ON public.documents
    USING (EXISTS (SELECT 1 FROM public.members m WHERE m.tenant_id = documents.tenant_id AND m.username = CURRENT_USER));

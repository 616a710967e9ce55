-- policy-restrictive (from): a permissive policy

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;

CREATE POLICY documents_tenant ON public.documents
    USING (tenant_id = 1);

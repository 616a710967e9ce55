-- policy-function-recreated (from): a policy calls a function returning integer

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION public.current_tenant() RETURNS integer
    LANGUAGE sql STABLE
    AS $$ SELECT 1 $$;

CREATE POLICY documents_tenant ON public.documents
    USING (tenant_id = public.current_tenant());

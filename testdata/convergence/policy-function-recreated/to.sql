-- policy-function-recreated (to): the function returns bigint (dropped and created); the policy is taken along

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION public.current_tenant() RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT 1::bigint $$;

CREATE POLICY documents_tenant ON public.documents
    USING (tenant_id = public.current_tenant());

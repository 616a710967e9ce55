-- policy-roles (to): the policy applies to two predefined roles, which every cluster has

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;

CREATE POLICY documents_read ON public.documents FOR SELECT TO pg_monitor, pg_read_all_stats
    USING (true);

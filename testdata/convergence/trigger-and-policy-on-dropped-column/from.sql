-- trigger-and-policy-on-dropped-column (from): a trigger and a policy use a column that goes away

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
    archived boolean,
    CONSTRAINT documents_pkey PRIMARY KEY (id)
);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION public.noop() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN NULL;
END;
$$;

CREATE TRIGGER documents_archive AFTER UPDATE OF archived ON public.documents
    FOR EACH ROW EXECUTE FUNCTION public.noop();

CREATE POLICY documents_live ON public.documents
    USING (archived IS NOT TRUE);

-- trigger-and-policy-on-dropped-column (to): the column, the trigger and the policy are gone

CREATE TABLE public.documents (
    id integer NOT NULL,
    owner text NOT NULL,
    tenant_id integer NOT NULL,
    body text,
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

-- procedure-add (from): an audit table

CREATE TABLE public.audit (
    id bigint GENERATED ALWAYS AS IDENTITY,
    what text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_pkey PRIMARY KEY (id)
);

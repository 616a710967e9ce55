-- identity-column-add (to): a new identity column is added at the end

CREATE TABLE public.audit_log (
    happened_at timestamptz NOT NULL,
    message text NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY
);

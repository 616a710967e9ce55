-- identity-column-add (from): a new identity column is added at the end

CREATE TABLE public.audit_log (
    happened_at timestamptz NOT NULL,
    message text NOT NULL
);

-- fingerprint/order-a.sql: a rich schema in "natural" statement order.
-- order-b.sql is the same schema with statements in a different order and must
-- produce the same fingerprint; different.sql differs from this file in one place.

CREATE SCHEMA app;
CREATE SCHEMA billing;

COMMENT ON SCHEMA billing IS 'Invoices and payments';

CREATE TYPE app.user_role AS ENUM ('viewer', 'editor', 'admin');
CREATE TYPE billing.invoice_state AS ENUM ('draft', 'issued', 'paid', 'void');

COMMENT ON TYPE billing.invoice_state IS 'Lifecycle of an invoice';

CREATE DOMAIN billing.money_amount AS numeric(14,2)
    CONSTRAINT money_amount_non_negative CHECK (VALUE >= 0);

CREATE SEQUENCE billing.invoice_no AS bigint START WITH 1000 INCREMENT BY 1 CACHE 10;

COMMENT ON SEQUENCE billing.invoice_no IS 'Human-facing invoice numbers';

CREATE TABLE app.organizations (
    id bigint GENERATED ALWAYS AS IDENTITY,
    slug varchar(63) NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_pkey PRIMARY KEY (id),
    CONSTRAINT organizations_slug_key UNIQUE (slug),
    CONSTRAINT organizations_slug_format CHECK (slug ~ '^[a-z0-9-]+$')
);

CREATE TABLE app.users (
    id bigserial,
    org_id bigint NOT NULL,
    email varchar(320) NOT NULL,
    role app.user_role NOT NULL DEFAULT 'viewer',
    display_name varchar(100),
    last_seen timestamptz,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_org_fkey FOREIGN KEY (org_id) REFERENCES app.organizations (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX users_org_email_uidx ON app.users (org_id, lower((email)::text));
CREATE INDEX users_last_seen_idx ON app.users (last_seen DESC NULLS LAST);

COMMENT ON TABLE app.users IS 'People who can sign in';
COMMENT ON COLUMN app.users.role IS 'Authorisation level within the organisation';

CREATE TABLE billing.invoices (
    id bigint NOT NULL DEFAULT nextval('billing.invoice_no'),
    org_id bigint NOT NULL,
    state billing.invoice_state NOT NULL DEFAULT 'draft',
    issued_on date,
    total billing.money_amount NOT NULL DEFAULT 0,
    CONSTRAINT invoices_pkey PRIMARY KEY (id),
    CONSTRAINT invoices_org_fkey FOREIGN KEY (org_id) REFERENCES app.organizations (id),
    CONSTRAINT invoices_issued_check CHECK (state = 'draft' OR issued_on IS NOT NULL)
);

ALTER SEQUENCE billing.invoice_no OWNED BY billing.invoices.id;

CREATE INDEX invoices_org_state_idx ON billing.invoices (org_id, state) WHERE state <> 'void';

CREATE TABLE billing.invoice_lines (
    invoice_id bigint NOT NULL,
    line_no smallint NOT NULL,
    description text NOT NULL,
    quantity numeric(10,3) NOT NULL DEFAULT 1,
    unit_price billing.money_amount NOT NULL,
    created_by bigint,
    CONSTRAINT invoice_lines_pkey PRIMARY KEY (invoice_id, line_no),
    CONSTRAINT invoice_lines_invoice_fkey FOREIGN KEY (invoice_id) REFERENCES billing.invoices (id) ON DELETE CASCADE,
    CONSTRAINT invoice_lines_created_by_fkey FOREIGN KEY (created_by) REFERENCES app.users (id) ON DELETE SET NULL,
    CONSTRAINT invoice_lines_quantity_check CHECK (quantity > 0)
);

COMMENT ON CONSTRAINT invoice_lines_quantity_check ON billing.invoice_lines IS 'no zero or negative lines';
COMMENT ON INDEX billing.invoices_org_state_idx IS 'open invoices per organisation';

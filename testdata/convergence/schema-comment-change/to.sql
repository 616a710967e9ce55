-- schema-comment-change (to): a schema comment changes text

CREATE SCHEMA billing;

COMMENT ON SCHEMA billing IS 'Billing, invoices and payments (v2)';

-- schema-comment-change (from): a schema comment changes text

CREATE SCHEMA billing;

COMMENT ON SCHEMA billing IS 'Billing (v1)';

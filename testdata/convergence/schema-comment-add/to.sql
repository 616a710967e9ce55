-- schema-comment-add (to): a comment is added to a schema

CREATE SCHEMA reporting;

COMMENT ON SCHEMA reporting IS 'Aggregated reporting tables';

CREATE TABLE reporting.daily (
    day date NOT NULL,
    total numeric(14,2) NOT NULL,
    CONSTRAINT daily_pkey PRIMARY KEY (day)
);

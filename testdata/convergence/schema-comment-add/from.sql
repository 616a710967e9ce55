-- schema-comment-add (from): a comment is added to a schema

CREATE SCHEMA reporting;

CREATE TABLE reporting.daily (
    day date NOT NULL,
    total numeric(14,2) NOT NULL,
    CONSTRAINT daily_pkey PRIMARY KEY (day)
);

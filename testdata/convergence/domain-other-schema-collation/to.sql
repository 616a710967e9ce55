-- domain-other-schema-collation (to): a collated domain in another schema

CREATE SCHEMA types;

CREATE DOMAIN types.code AS text COLLATE "C"
    CONSTRAINT code_check CHECK (VALUE ~ '^[A-Z0-9_]+$');

CREATE TABLE public.flags (
    code types.code NOT NULL,
    CONSTRAINT flags_pkey PRIMARY KEY (code)
);

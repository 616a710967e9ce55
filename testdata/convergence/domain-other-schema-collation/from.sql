-- domain-other-schema-collation (from): a collated domain in another schema

CREATE SCHEMA types;

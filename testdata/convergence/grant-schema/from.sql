-- grant-schema (from): a schema

CREATE SCHEMA app;

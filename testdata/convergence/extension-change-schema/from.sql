-- extension-change-schema (from): an extension moves from public to another schema

CREATE SCHEMA ext;

CREATE EXTENSION pg_trgm;

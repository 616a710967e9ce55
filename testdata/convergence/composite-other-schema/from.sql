-- composite-other-schema (from): an empty schema

CREATE SCHEMA geo;

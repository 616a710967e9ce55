-- composite-attribute-collation (from): an unused composite type

CREATE TYPE public.label AS (code text, name text);

-- composite-attribute-collation (to): an attribute gets COLLATE "C"

CREATE TYPE public.label AS (code text COLLATE "C", name text);

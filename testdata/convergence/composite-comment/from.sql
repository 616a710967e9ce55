-- composite-comment (from): a composite type

CREATE TYPE public.point3 AS (x double precision, y double precision, z double precision);

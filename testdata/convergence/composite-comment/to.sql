-- composite-comment (to): the type gets a comment

CREATE TYPE public.point3 AS (x double precision, y double precision, z double precision);

COMMENT ON TYPE public.point3 IS 'a point in space';

-- range-comment (to): it gets a comment

CREATE TYPE public.daterange2 AS RANGE (subtype = date);

COMMENT ON TYPE public.daterange2 IS 'booking periods';

-- range-comment (from): a range type

CREATE TYPE public.daterange2 AS RANGE (subtype = date);

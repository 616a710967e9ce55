-- range-subtype-diff-function (to): a range type whose difference function is a SQL function

CREATE FUNCTION public.time_diff(a time, b time) RETURNS double precision LANGUAGE sql IMMUTABLE STRICT
    RETURN EXTRACT(epoch FROM (a - b));

CREATE TYPE public.timerange AS RANGE (subtype = time, subtype_diff = public.time_diff);

CREATE TABLE public.t (
    id integer NOT NULL,
    opening public.timerange,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

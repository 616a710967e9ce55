-- function-enum-argument (from): a function takes an enum, a view calls it

CREATE TYPE public.level AS ENUM ('low', 'mid', 'high');

CREATE TABLE public.alerts (
    id integer NOT NULL,
    level public.level NOT NULL,
    CONSTRAINT alerts_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.weight(l public.level) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN CASE l WHEN 'high' THEN 10 WHEN 'mid' THEN 5 ELSE 1 END;

CREATE VIEW public.weighted_alerts AS
    SELECT id, public.weight(level) AS w FROM public.alerts;

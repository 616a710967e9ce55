-- function-enum-argument (to): the enum loses a value and is recreated: the function over it (its body changes too) and the view over the function are recreated around the conversion

CREATE TYPE public.level AS ENUM ('low', 'high');

CREATE TABLE public.alerts (
    id integer NOT NULL,
    level public.level NOT NULL,
    CONSTRAINT alerts_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.weight(l public.level) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN CASE l WHEN 'high' THEN 10 ELSE 1 END;

CREATE VIEW public.weighted_alerts AS
    SELECT id, public.weight(level) AS w FROM public.alerts;

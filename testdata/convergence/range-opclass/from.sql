-- range-opclass (from): a text range type

CREATE TYPE public.textrange AS RANGE (subtype = text);

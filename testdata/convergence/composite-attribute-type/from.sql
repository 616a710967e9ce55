-- composite-attribute-type (from): an unused composite type

CREATE TYPE public.pair AS (a integer, b varchar(10));

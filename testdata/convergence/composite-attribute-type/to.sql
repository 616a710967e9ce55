-- composite-attribute-type (to): its attributes change type in place

CREATE TYPE public.pair AS (a bigint, b varchar(20));

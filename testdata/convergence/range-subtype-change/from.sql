-- range-subtype-change (from): a range type over integer used by a column with a default

CREATE TYPE public.seatrange AS RANGE (subtype = integer);

CREATE TABLE public.t (
    id integer NOT NULL,
    seats public.seatrange DEFAULT '[1,10)'::public.seatrange,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- range-subtype-change (to): its subtype becomes bigint

CREATE TYPE public.seatrange AS RANGE (subtype = bigint);

CREATE TABLE public.t (
    id integer NOT NULL,
    seats public.seatrange DEFAULT '[1,10)'::public.seatrange,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-time-precision (to): time and timestamp precision changes, time becomes timetz

CREATE TABLE public.t (
    id integer NOT NULL,
    opens_at time(3) with time zone,
    seen_at timestamp(6),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

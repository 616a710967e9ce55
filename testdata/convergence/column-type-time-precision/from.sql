-- column-type-time-precision (from): time and timestamp precision changes, time becomes timetz

CREATE TABLE public.t (
    id integer NOT NULL,
    opens_at time,
    seen_at timestamp(0),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- range-multirange-name (from): a range type with its default multirange name and a multirange column

CREATE TYPE public.amount_span AS RANGE (subtype = numeric);

CREATE TABLE public.t (
    id integer NOT NULL,
    m public.amount_span_multirange,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

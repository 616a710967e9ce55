-- range-multirange-name (to): the multirange has an explicit name

CREATE TYPE public.amount_span AS RANGE (subtype = numeric, multirange_type_name = public.amount_spans);

CREATE TABLE public.t (
    id integer NOT NULL,
    m public.amount_spans,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

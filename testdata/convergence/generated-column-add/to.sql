-- generated-column-add (to): a stored generated column is added

CREATE TABLE public.lines (
    id integer NOT NULL,
    qty integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    total numeric(12,2) GENERATED ALWAYS AS (qty * unit_price) STORED,
    CONSTRAINT lines_pkey PRIMARY KEY (id)
);

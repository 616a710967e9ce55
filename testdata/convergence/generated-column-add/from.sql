-- generated-column-add (from): a stored generated column is added

CREATE TABLE public.lines (
    id integer NOT NULL,
    qty integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    CONSTRAINT lines_pkey PRIMARY KEY (id)
);

-- function-reads-view (from): a table only

CREATE TABLE public.shipments (
    id integer NOT NULL,
    shipped_at timestamptz,
    CONSTRAINT shipments_pkey PRIMARY KEY (id)
);

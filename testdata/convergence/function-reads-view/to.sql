-- function-reads-view (to): a view, a SQL function whose string body reads the view (checked when it is created, with no recorded dependency), and a SQL-standard function that reads it too

CREATE TABLE public.shipments (
    id integer NOT NULL,
    shipped_at timestamptz,
    CONSTRAINT shipments_pkey PRIMARY KEY (id)
);

CREATE VIEW public.pending_shipments AS
    SELECT id FROM public.shipments WHERE shipped_at IS NULL;

CREATE FUNCTION public.pending_count() RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM public.pending_shipments $$;

CREATE FUNCTION public.is_pending(shipment integer) RETURNS boolean
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT EXISTS (SELECT 1 FROM public.pending_shipments p WHERE p.id = shipment);
END;

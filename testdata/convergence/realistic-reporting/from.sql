-- realistic-reporting (from): a shop with reporting views, a materialized summary and helper functions

CREATE SCHEMA reporting;

CREATE TYPE public.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');

CREATE TABLE public.customers (
    id integer NOT NULL,
    email text NOT NULL,
    country char(2) NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id integer NOT NULL,
    customer_id integer NOT NULL,
    status public.order_status NOT NULL DEFAULT 'new',
    total_cents integer NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id)
);

CREATE FUNCTION public.cents_to_units(c integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN c / 100.0;

CREATE FUNCTION reporting.revenue_since(since timestamptz) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(public.cents_to_units(total_cents)), 0) FROM public.orders WHERE placed_at >= since AND status <> 'cancelled' $$;

CREATE VIEW reporting.order_facts AS
    SELECT o.id, c.country, o.status, public.cents_to_units(o.total_cents) AS total, o.placed_at
    FROM public.orders o JOIN public.customers c ON c.id = o.customer_id;

CREATE VIEW reporting.paid_orders AS
    SELECT id, country, total FROM reporting.order_facts WHERE status IN ('paid', 'shipped');

CREATE MATERIALIZED VIEW reporting.country_revenue AS
    SELECT country, sum(total) AS revenue FROM reporting.paid_orders GROUP BY country;

CREATE UNIQUE INDEX country_revenue_country ON reporting.country_revenue (country);

COMMENT ON VIEW reporting.order_facts IS 'one row per order';

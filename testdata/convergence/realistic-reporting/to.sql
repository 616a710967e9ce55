-- realistic-reporting (to): amounts become bigint, a status is retired (the enum is recreated), the helper gains a currency parameter, views change and a new function reads the summary

CREATE SCHEMA reporting;

CREATE TYPE public.order_status AS ENUM ('new', 'paid', 'shipped');

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
    total_cents bigint NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id)
);

CREATE FUNCTION public.cents_to_units(c bigint, decimals integer DEFAULT 2) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN round(c / 100.0, decimals);

CREATE FUNCTION reporting.revenue_since(since timestamptz) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(public.cents_to_units(total_cents)), 0) FROM public.orders WHERE placed_at >= since $$;

CREATE VIEW reporting.order_facts AS
    SELECT o.id, c.country, o.status, public.cents_to_units(o.total_cents) AS total, o.placed_at, c.email
    FROM public.orders o JOIN public.customers c ON c.id = o.customer_id;

CREATE VIEW reporting.paid_orders AS
    SELECT id, country, total FROM reporting.order_facts WHERE status IN ('paid', 'shipped');

CREATE MATERIALIZED VIEW reporting.country_revenue AS
    SELECT country, sum(total) AS revenue, count(*) AS orders FROM reporting.paid_orders GROUP BY country;

CREATE UNIQUE INDEX country_revenue_country ON reporting.country_revenue (country);

CREATE FUNCTION reporting.top_country() RETURNS char(2)
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT country FROM reporting.country_revenue ORDER BY revenue DESC LIMIT 1;
END;

COMMENT ON VIEW reporting.order_facts IS 'one row per order, with the customer''s email';

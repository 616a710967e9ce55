-- realistic-ecommerce (to): an e-commerce schema evolves: status enum, addresses, wider prices, new indexes, dropped legacy table

CREATE EXTENSION citext;

CREATE TYPE public.order_status AS ENUM ('new', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE TABLE public.customers (
    id bigserial,
    email citext NOT NULL,
    full_name varchar(200) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    marketing_opt_in boolean NOT NULL DEFAULT false,
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE public.addresses (
    id bigint GENERATED ALWAYS AS IDENTITY,
    customer_id bigint NOT NULL,
    line1 text NOT NULL,
    city text NOT NULL,
    country char(2) NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    CONSTRAINT addresses_pkey PRIMARY KEY (id),
    CONSTRAINT addresses_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX addresses_one_default_uidx ON public.addresses (customer_id) WHERE is_default;

CREATE TABLE public.products (
    id serial,
    sku varchar(64) NOT NULL,
    name text NOT NULL,
    price numeric(12,2) NOT NULL,
    stock integer NOT NULL DEFAULT 0,
    attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT products_pkey PRIMARY KEY (id),
    CONSTRAINT products_price_check CHECK (price >= 0),
    CONSTRAINT products_sku_key UNIQUE (sku),
    CONSTRAINT products_stock_check CHECK (stock >= 0)
);

CREATE INDEX products_attributes_idx ON public.products USING gin (attributes jsonb_path_ops);

CREATE TABLE public.orders (
    id bigserial,
    customer_id bigint NOT NULL,
    status public.order_status NOT NULL DEFAULT 'new',
    placed_at timestamptz NOT NULL DEFAULT now(),
    shipping_address_id bigint,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id) ON DELETE RESTRICT,
    CONSTRAINT orders_shipping_address_fkey FOREIGN KEY (shipping_address_id) REFERENCES public.addresses (id) ON DELETE SET NULL
);

CREATE TABLE public.order_items (
    order_id bigint NOT NULL,
    product_id integer NOT NULL,
    qty integer NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    CONSTRAINT order_items_pkey PRIMARY KEY (order_id, product_id),
    CONSTRAINT order_items_order_fkey FOREIGN KEY (order_id) REFERENCES public.orders (id) ON DELETE CASCADE,
    CONSTRAINT order_items_product_fkey FOREIGN KEY (product_id) REFERENCES public.products (id),
    CONSTRAINT order_items_qty_check CHECK (qty > 0)
);

CREATE INDEX orders_customer_idx ON public.orders (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON public.orders (placed_at) WHERE status IN ('new', 'paid');

COMMENT ON TABLE public.orders IS 'Customer orders, one row per checkout';
COMMENT ON COLUMN public.orders.status IS 'Lifecycle state';

-- realistic-ecommerce (from): an e-commerce schema evolves: status enum, addresses, wider prices, new indexes, dropped legacy table

CREATE EXTENSION citext;

CREATE TABLE public.customers (
    id bigserial,
    email citext NOT NULL,
    full_name varchar(100) NOT NULL,
    created_at timestamp NOT NULL DEFAULT now(),
    CONSTRAINT customers_pkey PRIMARY KEY (id),
    CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE public.products (
    id serial,
    sku varchar(32) NOT NULL,
    name text NOT NULL,
    price numeric(8,2) NOT NULL,
    stock integer NOT NULL DEFAULT 0,
    CONSTRAINT products_pkey PRIMARY KEY (id),
    CONSTRAINT products_price_check CHECK (price >= 0)
);

CREATE TABLE public.orders (
    id bigserial,
    customer_id bigint NOT NULL,
    status text NOT NULL DEFAULT 'new',
    placed_at timestamp NOT NULL DEFAULT now(),
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES public.customers (id)
);

CREATE TABLE public.order_items (
    order_id bigint NOT NULL,
    product_id integer NOT NULL,
    qty integer NOT NULL,
    unit_price numeric(8,2) NOT NULL,
    CONSTRAINT order_items_pkey PRIMARY KEY (order_id, product_id),
    CONSTRAINT order_items_order_fkey FOREIGN KEY (order_id) REFERENCES public.orders (id),
    CONSTRAINT order_items_product_fkey FOREIGN KEY (product_id) REFERENCES public.products (id),
    CONSTRAINT order_items_qty_check CHECK (qty > 0)
);

CREATE TABLE public.legacy_carts (
    id integer NOT NULL,
    payload text,
    CONSTRAINT legacy_carts_pkey PRIMARY KEY (id)
);

CREATE INDEX orders_customer_idx ON public.orders (customer_id);
CREATE INDEX orders_status_idx ON public.orders (status);

COMMENT ON TABLE public.orders IS 'Orders';

-- Version 2: a catalogue schema, longer e-mail addresses, cancelled orders and order lines.
CREATE SCHEMA catalog;
COMMENT ON SCHEMA catalog IS 'what the shop sells';

CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');

CREATE TABLE catalog.products (
  sku text PRIMARY KEY,
  title text NOT NULL,
  price numeric(10, 2) NOT NULL CHECK (price >= 0)
);

CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(254) NOT NULL,
  name text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  status order_status NOT NULL DEFAULT 'new',
  total numeric(12, 2) NOT NULL
);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);

CREATE TABLE order_lines (
  order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku text NOT NULL REFERENCES catalog.products (sku),
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, sku)
);
COMMENT ON TABLE order_lines IS 'one row per product in an order';

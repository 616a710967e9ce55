-- Version 1 of the demo shop: customers and their orders.
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');

CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(120) NOT NULL,
  name text
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status order_status NOT NULL DEFAULT 'new',
  total numeric(10, 2) NOT NULL
);

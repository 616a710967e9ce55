-- fk-cross-schema (from): a foreign key from sales.orders to crm.customers

CREATE SCHEMA crm;
CREATE SCHEMA sales;

CREATE TABLE crm.customers (
    id bigint NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

CREATE TABLE sales.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id)
);

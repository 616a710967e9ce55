-- realistic-inventory (from): an inventory schema: wider keys, unit enum, movement ledger with sequence and BRIN index

CREATE SCHEMA inv;

CREATE TABLE inv.warehouses (
    id integer NOT NULL,
    code char(4) NOT NULL,
    location point,
    CONSTRAINT warehouses_pkey PRIMARY KEY (id),
    CONSTRAINT warehouses_code_key UNIQUE (code)
);

CREATE TABLE inv.items (
    id integer NOT NULL,
    name text NOT NULL,
    weight_kg numeric(8,3),
    CONSTRAINT items_pkey PRIMARY KEY (id)
);

CREATE TABLE inv.stock (
    warehouse_id integer NOT NULL,
    item_id integer NOT NULL,
    on_hand integer NOT NULL DEFAULT 0,
    CONSTRAINT stock_pkey PRIMARY KEY (warehouse_id, item_id),
    CONSTRAINT stock_warehouse_fkey FOREIGN KEY (warehouse_id) REFERENCES inv.warehouses (id),
    CONSTRAINT stock_item_fkey FOREIGN KEY (item_id) REFERENCES inv.items (id)
);

-- realistic-inventory (to): an inventory schema: wider keys, unit enum, movement ledger with sequence and BRIN index

CREATE SCHEMA inv;

CREATE TYPE inv.unit AS ENUM ('piece', 'kg', 'litre', 'metre');

CREATE SEQUENCE inv.movement_seq AS bigint CACHE 50;

CREATE TABLE inv.warehouses (
    id integer NOT NULL,
    code char(4) NOT NULL,
    location point,
    CONSTRAINT warehouses_pkey PRIMARY KEY (id),
    CONSTRAINT warehouses_code_key UNIQUE (code)
);

CREATE TABLE inv.items (
    id bigint NOT NULL,
    name text NOT NULL,
    weight_kg numeric(10,3),
    unit inv.unit NOT NULL DEFAULT 'piece',
    CONSTRAINT items_pkey PRIMARY KEY (id),
    CONSTRAINT items_weight_check CHECK (weight_kg IS NULL OR weight_kg > 0)
);

CREATE TABLE inv.stock (
    warehouse_id integer NOT NULL,
    item_id bigint NOT NULL,
    on_hand numeric(14,3) NOT NULL DEFAULT 0,
    CONSTRAINT stock_pkey PRIMARY KEY (warehouse_id, item_id),
    CONSTRAINT stock_warehouse_fkey FOREIGN KEY (warehouse_id) REFERENCES inv.warehouses (id),
    CONSTRAINT stock_item_fkey FOREIGN KEY (item_id) REFERENCES inv.items (id),
    CONSTRAINT stock_on_hand_check CHECK (on_hand >= 0)
) WITH (fillfactor = 80);

CREATE TABLE inv.movements (
    id bigint NOT NULL DEFAULT nextval('inv.movement_seq'),
    warehouse_id integer NOT NULL,
    item_id bigint NOT NULL,
    delta numeric(14,3) NOT NULL,
    moved_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT movements_pkey PRIMARY KEY (id),
    CONSTRAINT movements_stock_fkey FOREIGN KEY (warehouse_id, item_id) REFERENCES inv.stock (warehouse_id, item_id),
    CONSTRAINT movements_delta_check CHECK (delta <> 0)
);

ALTER SEQUENCE inv.movement_seq OWNED BY inv.movements.id;

CREATE INDEX movements_moved_at_brin ON inv.movements USING brin (moved_at);
CREATE INDEX stock_item_idx ON inv.stock (item_id);

COMMENT ON TABLE inv.movements IS 'Append-only stock ledger';

-- partition-parent-fk (from): no foreign key

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    region text NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL
) PARTITION BY LIST (region);

CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us');

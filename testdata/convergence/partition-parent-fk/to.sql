-- partition-parent-fk (to): a foreign key from the parent

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

CREATE TABLE public.orders (
    id bigint NOT NULL,
    region text NOT NULL,
    total numeric(12,2) DEFAULT 0 NOT NULL,
    other_id integer,
    CONSTRAINT orders_other_fkey FOREIGN KEY (other_id) REFERENCES public.other (id)
) PARTITION BY LIST (region);

CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us');

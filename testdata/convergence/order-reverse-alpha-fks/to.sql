-- order-reverse-alpha-fks (to): new tables reference tables that sort later alphabetically

CREATE TABLE public.meta (
    key text NOT NULL,
    CONSTRAINT meta_pkey PRIMARY KEY (key)
);

CREATE TABLE public.zones (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT zones_pkey PRIMARY KEY (id)
);

CREATE TABLE public.warehouses (
    id integer NOT NULL,
    zone_id integer NOT NULL,
    CONSTRAINT warehouses_pkey PRIMARY KEY (id),
    CONSTRAINT warehouses_zone_fkey FOREIGN KEY (zone_id) REFERENCES public.zones (id)
);

CREATE TABLE public.bins (
    id integer NOT NULL,
    warehouse_id integer NOT NULL,
    zone_id integer NOT NULL,
    CONSTRAINT bins_pkey PRIMARY KEY (id),
    CONSTRAINT bins_warehouse_fkey FOREIGN KEY (warehouse_id) REFERENCES public.warehouses (id),
    CONSTRAINT bins_zone_fkey FOREIGN KEY (zone_id) REFERENCES public.zones (id)
);

CREATE TABLE public.a_pick_lists (
    id integer NOT NULL,
    bin_id integer NOT NULL,
    CONSTRAINT a_pick_lists_pkey PRIMARY KEY (id),
    CONSTRAINT a_pick_lists_bin_fkey FOREIGN KEY (bin_id) REFERENCES public.bins (id)
);

-- column-types-network-bit (from): inet, cidr, macaddr, macaddr8, bit(n) and varbit columns

CREATE TABLE public.hosts (
    id integer NOT NULL,
    CONSTRAINT hosts_pkey PRIMARY KEY (id)
);

-- column-types-network-bit (to): inet, cidr, macaddr, macaddr8, bit(n) and varbit columns

CREATE TABLE public.hosts (
    id integer NOT NULL,
    c_inet inet,
    c_cidr cidr,
    c_macaddr macaddr,
    c_macaddr8 macaddr8,
    c_bit bit(8),
    c_bit1 bit,
    c_varbit varbit(64),
    c_varbit_unbounded bit varying,
    CONSTRAINT hosts_pkey PRIMARY KEY (id)
);

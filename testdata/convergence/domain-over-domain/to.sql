-- domain-over-domain (to): a domain defined over another domain

CREATE DOMAIN public.positive_numeric AS numeric
    CONSTRAINT positive_numeric_check CHECK (VALUE > 0);

CREATE DOMAIN public.price AS public.positive_numeric
    CONSTRAINT price_max CHECK (VALUE < 1000000);

CREATE TABLE public.items (
    id integer NOT NULL,
    price public.price NOT NULL,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);

-- domain-default-change (to): the default of a domain used by a column changes

CREATE DOMAIN public.rate AS numeric(6,4) DEFAULT 0.1900;

CREATE TABLE public.tax (
    id integer NOT NULL,
    rate public.rate,
    CONSTRAINT tax_pkey PRIMARY KEY (id)
);

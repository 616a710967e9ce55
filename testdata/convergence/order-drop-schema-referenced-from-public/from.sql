-- order-drop-schema-referenced-from-public (from): a schema is dropped whose table is referenced from public (the FK and column go too)

CREATE SCHEMA geo;

CREATE TABLE geo.countries (
    code char(2) NOT NULL,
    CONSTRAINT countries_pkey PRIMARY KEY (code)
);

CREATE TABLE public.addresses (
    id integer NOT NULL,
    street text NOT NULL,
    country char(2),
    CONSTRAINT addresses_pkey PRIMARY KEY (id),
    CONSTRAINT addresses_country_fkey FOREIGN KEY (country) REFERENCES geo.countries (code)
);

-- schema-several (to): several schemas with tables are created at once

CREATE TABLE public.settings (
    key text NOT NULL,
    value text,
    CONSTRAINT settings_pkey PRIMARY KEY (key)
);

CREATE SCHEMA crm;
CREATE SCHEMA sales;
CREATE SCHEMA support;

CREATE TABLE crm.contacts (
    id bigint NOT NULL,
    email text NOT NULL,
    CONSTRAINT contacts_pkey PRIMARY KEY (id)
);

CREATE TABLE sales.deals (
    id bigint NOT NULL,
    amount numeric(12,2) NOT NULL,
    CONSTRAINT deals_pkey PRIMARY KEY (id)
);

CREATE TABLE support.cases (
    id bigint NOT NULL,
    subject text NOT NULL,
    CONSTRAINT cases_pkey PRIMARY KEY (id)
);

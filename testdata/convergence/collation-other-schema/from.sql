-- collation-other-schema (from): a column with the default collation

CREATE SCHEMA i18n;

CREATE TABLE public.t (
    id integer NOT NULL,
    title text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

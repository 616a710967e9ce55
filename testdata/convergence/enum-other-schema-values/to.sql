-- enum-other-schema-values (to): values are added to an enum in another schema used by an array column

CREATE SCHEMA types;

CREATE TYPE types.feature AS ENUM ('search', 'api', 'export', 'sso');

CREATE TABLE public.plans (
    id integer NOT NULL,
    features types.feature[] NOT NULL DEFAULT '{}',
    CONSTRAINT plans_pkey PRIMARY KEY (id)
);

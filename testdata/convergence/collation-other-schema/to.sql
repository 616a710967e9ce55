-- collation-other-schema (to): a collation in another schema used by the column

CREATE SCHEMA i18n;

CREATE COLLATION i18n.natural (provider = icu, locale = 'en-u-kn-true');

CREATE TABLE public.t (
    id integer NOT NULL,
    title text COLLATE i18n.natural,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

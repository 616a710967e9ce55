-- collation-nondeterministic (from): a deterministic ICU collation used by an indexed column

CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2');

CREATE TABLE public.t (
    id integer NOT NULL,
    email text COLLATE public.ci NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE INDEX t_email_idx ON public.t (email);

-- collation-nondeterministic (to): the collation becomes nondeterministic: recreated, the column converted

CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE public.t (
    id integer NOT NULL,
    email text COLLATE public.ci NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE INDEX t_email_idx ON public.t (email);

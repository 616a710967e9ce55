-- collation-libc (from): a libc collation with one locale

CREATE COLLATION public.plain (provider = libc, locale = 'C');

CREATE TABLE public.t (
    id integer NOT NULL,
    code varchar(20) COLLATE public.plain,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

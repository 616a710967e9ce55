-- collation-libc (to): LC_COLLATE and LC_CTYPE differ

CREATE COLLATION public.plain (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');

CREATE TABLE public.t (
    id integer NOT NULL,
    code varchar(20) COLLATE public.plain,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

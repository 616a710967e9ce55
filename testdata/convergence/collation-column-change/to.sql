-- collation-column-change (to): column collations change C -> POSIX and default -> und-x-icu

CREATE TABLE public.t (
    id integer NOT NULL,
    a varchar(50) COLLATE "POSIX",
    b text COLLATE "und-x-icu",
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

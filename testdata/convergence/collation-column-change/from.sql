-- collation-column-change (from): column collations change C -> POSIX and default -> und-x-icu

CREATE TABLE public.t (
    id integer NOT NULL,
    a varchar(50) COLLATE "C",
    b text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

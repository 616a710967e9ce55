-- column-not-null-set (from): NOT NULL is set on several columns

CREATE TABLE public.t (
    id integer NOT NULL,
    name text,
    born date,
    score integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

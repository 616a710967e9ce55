-- column-not-null-set (to): NOT NULL is set on several columns

CREATE TABLE public.t (
    id integer NOT NULL,
    name text NOT NULL,
    born date NOT NULL,
    score integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- collation-column-add (from): a column gains an explicit COLLATE "C"

CREATE TABLE public.t (
    id integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

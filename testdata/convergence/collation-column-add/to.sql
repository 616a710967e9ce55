-- collation-column-add (to): a column gains an explicit COLLATE "C"

CREATE TABLE public.t (
    id integer NOT NULL,
    code text COLLATE "C" NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

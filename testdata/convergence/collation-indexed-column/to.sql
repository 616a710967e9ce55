-- collation-indexed-column (to): the collation of a column with a unique index changes

CREATE TABLE public.t (
    id integer NOT NULL,
    name text COLLATE "C" NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE UNIQUE INDEX t_name_idx ON public.t (name);

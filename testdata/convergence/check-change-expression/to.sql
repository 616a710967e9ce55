-- check-change-expression (to): the expression of a named check constraint changes

CREATE TABLE public.t (
    id integer NOT NULL,
    pct integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id),
    CONSTRAINT t_pct_range CHECK (pct BETWEEN 1 AND 1000)
);

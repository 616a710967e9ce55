-- column-type-unique-constraint (to): a column under a UNIQUE constraint changes type

CREATE TABLE public.t (
    id integer NOT NULL,
    slug varchar(120) NOT NULL,
    CONSTRAINT t_slug_key UNIQUE (slug),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

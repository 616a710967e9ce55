-- pk-add (to): a table without a primary key gains one

CREATE TABLE public.t (
    id integer NOT NULL,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

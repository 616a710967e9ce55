-- column-type-text-to-varchar (from): text becomes varchar(100)

CREATE TABLE public.t (
    id integer NOT NULL,
    title text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-text-to-varchar (to): text becomes varchar(100)

CREATE TABLE public.t (
    id integer NOT NULL,
    title varchar(100),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

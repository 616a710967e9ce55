-- column-type-varchar-widen (to): varchar(20) widened to varchar(50)

CREATE TABLE public.t (
    id integer NOT NULL,
    code varchar(50) NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

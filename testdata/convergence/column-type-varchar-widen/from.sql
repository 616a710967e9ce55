-- column-type-varchar-widen (from): varchar(20) widened to varchar(50)

CREATE TABLE public.t (
    id integer NOT NULL,
    code varchar(20) NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

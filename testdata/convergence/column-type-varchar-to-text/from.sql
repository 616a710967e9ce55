-- column-type-varchar-to-text (from): varchar(255) becomes text

CREATE TABLE public.t (
    id integer NOT NULL,
    description varchar(255) NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

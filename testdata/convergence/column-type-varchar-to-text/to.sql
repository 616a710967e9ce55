-- column-type-varchar-to-text (to): varchar(255) becomes text

CREATE TABLE public.t (
    id integer NOT NULL,
    description text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-char-length (to): char(2) becomes char(3)

CREATE TABLE public.t (
    id integer NOT NULL,
    country char(3) NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-char-length (from): char(2) becomes char(3)

CREATE TABLE public.t (
    id integer NOT NULL,
    country char(2) NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

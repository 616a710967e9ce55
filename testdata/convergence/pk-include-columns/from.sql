-- pk-include-columns (from): the primary key gains INCLUDE columns

CREATE TABLE public.t (
    id integer NOT NULL,
    label text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

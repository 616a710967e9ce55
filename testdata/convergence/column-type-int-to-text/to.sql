-- column-type-int-to-text (to): an integer column becomes text

CREATE TABLE public.t (
    id integer NOT NULL,
    external_ref text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-int-to-text (from): an integer column becomes text

CREATE TABLE public.t (
    id integer NOT NULL,
    external_ref integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-default-constant-add (from): constant defaults of several types are added

CREATE TABLE public.t (
    id integer NOT NULL,
    qty integer NOT NULL,
    label text,
    enabled boolean,
    ratio numeric(5,2),
    starts date,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

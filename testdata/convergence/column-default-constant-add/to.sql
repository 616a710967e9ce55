-- column-default-constant-add (to): constant defaults of several types are added

CREATE TABLE public.t (
    id integer NOT NULL,
    qty integer NOT NULL DEFAULT 1,
    label text DEFAULT 'unnamed',
    enabled boolean DEFAULT false,
    ratio numeric(5,2) DEFAULT 0.50,
    starts date DEFAULT '2000-01-01',
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-json-to-jsonb (from): json becomes jsonb

CREATE TABLE public.t (
    id integer NOT NULL,
    attrs json,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

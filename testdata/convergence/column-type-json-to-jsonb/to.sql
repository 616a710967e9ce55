-- column-type-json-to-jsonb (to): json becomes jsonb

CREATE TABLE public.t (
    id integer NOT NULL,
    attrs jsonb,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-default-gen-random-uuid (from): a uuid column gains DEFAULT gen_random_uuid()

CREATE TABLE public.t (
    id uuid NOT NULL,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

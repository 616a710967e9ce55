-- column-default-gen-random-uuid (to): a uuid column gains DEFAULT gen_random_uuid()

CREATE TABLE public.t (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

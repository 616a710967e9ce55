-- identity-options (from): identity gains START/INCREMENT/MINVALUE/MAXVALUE/CACHE/CYCLE options

CREATE TABLE public.t (
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

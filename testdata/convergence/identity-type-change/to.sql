-- identity-type-change (to): an identity column changes integer -> bigint

CREATE TABLE public.t (
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

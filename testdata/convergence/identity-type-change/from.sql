-- identity-type-change (from): an identity column changes integer -> bigint

CREATE TABLE public.t (
    id integer GENERATED ALWAYS AS IDENTITY,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

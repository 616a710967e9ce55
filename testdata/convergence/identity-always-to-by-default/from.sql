-- identity-always-to-by-default (from): GENERATED ALWAYS switches to BY DEFAULT (and back)

CREATE TABLE public.t (
    id integer GENERATED ALWAYS AS IDENTITY,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

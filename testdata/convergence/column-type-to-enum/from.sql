-- column-type-to-enum (from): a text column becomes an enum column (the enum is created)

CREATE TABLE public.t (
    id integer NOT NULL,
    status text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

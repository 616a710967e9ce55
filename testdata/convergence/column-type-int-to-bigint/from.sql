-- column-type-int-to-bigint (from): integer columns become bigint

CREATE TABLE public.t (
    id integer NOT NULL,
    counter integer NOT NULL,
    optional_ref integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

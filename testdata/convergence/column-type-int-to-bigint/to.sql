-- column-type-int-to-bigint (to): integer columns become bigint

CREATE TABLE public.t (
    id integer NOT NULL,
    counter bigint NOT NULL,
    optional_ref bigint,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

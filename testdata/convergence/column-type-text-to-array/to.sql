-- column-type-text-to-array (to): a text column becomes text[]

CREATE TABLE public.t (
    id integer NOT NULL,
    labels text[],
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- sequence-other-schema (from): a sequence in another schema is used by a column default in public

CREATE SCHEMA seqs;

CREATE TABLE public.t (
    id integer NOT NULL,
    ref bigint,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

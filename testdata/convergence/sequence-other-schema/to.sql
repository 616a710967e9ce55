-- sequence-other-schema (to): a sequence in another schema is used by a column default in public

CREATE SCHEMA seqs;

CREATE SEQUENCE seqs.global_ref AS bigint START WITH 1000000 CACHE 100;

CREATE TABLE public.t (
    id integer NOT NULL,
    ref bigint DEFAULT nextval('seqs.global_ref'),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- sequence-owned-by (from): a standalone sequence becomes OWNED BY a column that defaults to it

CREATE SEQUENCE public.t_code_seq;

CREATE TABLE public.t (
    id integer NOT NULL,
    code bigint NOT NULL DEFAULT nextval('public.t_code_seq'),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

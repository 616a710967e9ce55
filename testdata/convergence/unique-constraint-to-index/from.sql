-- unique-constraint-to-index (from): a unique constraint is replaced by a unique index of another name

CREATE TABLE public.t (
    id integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id),
    CONSTRAINT t_code_key UNIQUE (code)
);

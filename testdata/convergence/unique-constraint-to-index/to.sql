-- unique-constraint-to-index (to): a unique constraint is replaced by a unique index of another name

CREATE TABLE public.t (
    id integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE UNIQUE INDEX t_code_uidx ON public.t (code);

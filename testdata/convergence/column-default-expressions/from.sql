-- column-default-expressions (from): defaults with arithmetic, casts, current_user, concatenation and functions

CREATE TABLE public.t (
    id integer NOT NULL,
    a integer,
    b numeric,
    c text,
    d text,
    e interval,
    f jsonb,
    g text[],
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- check-no-inherit (from): a check constraint becomes NO INHERIT

CREATE TABLE public.t (
    id integer NOT NULL,
    kind text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id),
    CONSTRAINT t_kind_check CHECK (kind <> '')
);

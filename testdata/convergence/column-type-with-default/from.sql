-- column-type-with-default (from): columns with defaults change type (int default 0 -> bigint, text default -> varchar)

CREATE TABLE public.t (
    id integer NOT NULL,
    hits integer NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'new',
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

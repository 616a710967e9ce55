-- pk-rename-constraint (from): the primary key constraint gets another name (drop + add)

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

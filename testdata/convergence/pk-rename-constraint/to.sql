-- pk-rename-constraint (to): the primary key constraint gets another name (drop + add)

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_primary PRIMARY KEY (id)
);

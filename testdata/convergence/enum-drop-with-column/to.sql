-- enum-drop-with-column (to): an enum is dropped together with the column that uses it

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

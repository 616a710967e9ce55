-- table-drop-with-dependents (to): a table with indexes, checks and a unique constraint is dropped

CREATE TABLE public.keep (
    id integer NOT NULL,
    CONSTRAINT keep_pkey PRIMARY KEY (id)
);

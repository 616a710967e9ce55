-- function-new-table-check (from): nothing

CREATE TABLE public.keep (
    id integer NOT NULL,
    CONSTRAINT keep_pkey PRIMARY KEY (id)
);

-- function-setof-new-table (from): nothing yet

CREATE TABLE public.keep (
    id integer NOT NULL,
    CONSTRAINT keep_pkey PRIMARY KEY (id)
);

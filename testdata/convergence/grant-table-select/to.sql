-- grant-table-select (to): SELECT on it for sextant_reader

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

GRANT SELECT ON TABLE public.t TO sextant_reader;

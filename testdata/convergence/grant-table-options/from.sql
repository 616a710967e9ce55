-- grant-table-options (from): SELECT for the reader; INSERT for the writer

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

GRANT SELECT ON TABLE public.t TO sextant_reader;

GRANT INSERT ON TABLE public.t TO sextant_writer;

-- grant-table-options (to): SELECT WITH GRANT OPTION for the reader; INSERT, UPDATE, DELETE for the writer

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

GRANT SELECT ON TABLE public.t TO sextant_reader WITH GRANT OPTION;

GRANT INSERT, UPDATE, DELETE ON TABLE public.t TO sextant_writer;

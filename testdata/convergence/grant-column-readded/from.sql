-- grant-column-readded (from): a generated column with a column grant

CREATE TABLE public.t (
    id integer NOT NULL,
    price integer,
    total integer GENERATED ALWAYS AS (price * 2) STORED,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

GRANT SELECT (total) ON TABLE public.t TO sextant_reader;

-- grant-column-readded (to): the generation expression changes (drop and add) and the grant is put back

CREATE TABLE public.t (
    id integer NOT NULL,
    price integer,
    total integer GENERATED ALWAYS AS (price * 3) STORED,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

GRANT SELECT (total) ON TABLE public.t TO sextant_reader;

-- grant-view-recreated (from): a view granted to the reader

CREATE TABLE public.t (
    id integer NOT NULL,
    amount integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE VIEW public.v AS SELECT t.id, t.amount FROM public.t;

GRANT SELECT ON TABLE public.v TO sextant_reader;

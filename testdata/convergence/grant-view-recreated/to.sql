-- grant-view-recreated (to): the view is recreated (a column changes type) and keeps its grant

CREATE TABLE public.t (
    id integer NOT NULL,
    amount integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE VIEW public.v AS SELECT t.id, t.amount::bigint AS amount FROM public.t;

GRANT SELECT ON TABLE public.v TO sextant_reader;

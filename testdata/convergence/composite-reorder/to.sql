-- composite-reorder (to): its attributes are reordered

CREATE TYPE public.pair AS (b text, a integer);

CREATE TABLE public.t (
    id integer NOT NULL,
    p public.pair,
    ps public.pair[],
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

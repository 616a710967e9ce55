-- generated-to-plain (to): a stored generated column becomes a plain column

CREATE TABLE public.boxes (
    id integer NOT NULL,
    w integer NOT NULL,
    h integer NOT NULL,
    area integer,
    CONSTRAINT boxes_pkey PRIMARY KEY (id)
);

-- column-types-geometric (from): point, line, lseg, box, circle, polygon and path columns

CREATE TABLE public.shapes (
    id integer NOT NULL,
    CONSTRAINT shapes_pkey PRIMARY KEY (id)
);

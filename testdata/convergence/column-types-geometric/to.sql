-- column-types-geometric (to): point, line, lseg, box, circle, polygon and path columns

CREATE TABLE public.shapes (
    id integer NOT NULL,
    c_point point,
    c_line line,
    c_lseg lseg,
    c_box box,
    c_circle circle,
    c_polygon polygon,
    c_path path,
    CONSTRAINT shapes_pkey PRIMARY KEY (id)
);

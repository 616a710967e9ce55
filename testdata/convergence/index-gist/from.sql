-- index-gist (from): a GiST index on a range column and a box column

CREATE TABLE public.areas (
    id integer NOT NULL,
    bounds box NOT NULL,
    open_hours tsrange,
    CONSTRAINT areas_pkey PRIMARY KEY (id)
);

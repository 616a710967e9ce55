-- index-gist (to): a GiST index on a range column and a box column

CREATE TABLE public.areas (
    id integer NOT NULL,
    bounds box NOT NULL,
    open_hours tsrange,
    CONSTRAINT areas_pkey PRIMARY KEY (id)
);

CREATE INDEX areas_bounds_idx ON public.areas USING gist (bounds);
CREATE INDEX areas_open_hours_idx ON public.areas USING gist (open_hours);

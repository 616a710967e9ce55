-- exclude-without-extension (from): an exclusion constraint on a range alone (no extension needed) is added

CREATE TABLE public.price_periods (
    id integer NOT NULL,
    valid daterange NOT NULL,
    CONSTRAINT price_periods_pkey PRIMARY KEY (id)
);

-- exclude-without-extension (to): an exclusion constraint on a range alone (no extension needed) is added

CREATE TABLE public.price_periods (
    id integer NOT NULL,
    valid daterange NOT NULL,
    CONSTRAINT price_periods_pkey PRIMARY KEY (id),
    CONSTRAINT price_periods_no_overlap EXCLUDE USING gist (valid WITH &&) DEFERRABLE
);

-- column-types-range (from): range and multirange columns

CREATE TABLE public.spans (
    id integer NOT NULL,
    CONSTRAINT spans_pkey PRIMARY KEY (id)
);

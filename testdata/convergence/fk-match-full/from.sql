-- fk-match-full (from): a two-column foreign key changes MATCH SIMPLE -> MATCH FULL

CREATE TABLE public.regions (
    country char(2) NOT NULL,
    code text NOT NULL,
    CONSTRAINT regions_pkey PRIMARY KEY (country, code)
);

CREATE TABLE public.offices (
    id integer NOT NULL,
    country char(2),
    region text,
    CONSTRAINT offices_pkey PRIMARY KEY (id),
    CONSTRAINT offices_region_fkey FOREIGN KEY (country, region) REFERENCES public.regions (country, code) MATCH SIMPLE
);

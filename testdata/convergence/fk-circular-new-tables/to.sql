-- fk-circular-new-tables (to): two new tables with circular foreign keys are created (and dropped) together

CREATE TABLE public.unrelated (
    id integer NOT NULL,
    CONSTRAINT unrelated_pkey PRIMARY KEY (id)
);

CREATE TABLE public.chickens (
    id integer NOT NULL,
    from_egg integer,
    CONSTRAINT chickens_pkey PRIMARY KEY (id)
);

CREATE TABLE public.eggs (
    id integer NOT NULL,
    laid_by integer,
    CONSTRAINT eggs_pkey PRIMARY KEY (id),
    CONSTRAINT eggs_laid_by_fkey FOREIGN KEY (laid_by) REFERENCES public.chickens (id)
);

ALTER TABLE public.chickens
    ADD CONSTRAINT chickens_from_egg_fkey FOREIGN KEY (from_egg) REFERENCES public.eggs (id);

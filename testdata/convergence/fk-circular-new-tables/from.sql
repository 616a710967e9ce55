-- fk-circular-new-tables (from): two new tables with circular foreign keys are created (and dropped) together

CREATE TABLE public.unrelated (
    id integer NOT NULL,
    CONSTRAINT unrelated_pkey PRIMARY KEY (id)
);

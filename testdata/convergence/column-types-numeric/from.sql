-- column-types-numeric (from): columns of every numeric built-in type

CREATE TABLE public.measurements (
    id integer NOT NULL,
    CONSTRAINT measurements_pkey PRIMARY KEY (id)
);

-- enum-array-column (from): an enum array column with an array default is added

CREATE TYPE public.weekday AS ENUM ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');

CREATE TABLE public.shops (
    id integer NOT NULL,
    CONSTRAINT shops_pkey PRIMARY KEY (id)
);

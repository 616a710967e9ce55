-- enum-array-column (to): an enum array column with an array default is added

CREATE TYPE public.weekday AS ENUM ('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun');

CREATE TABLE public.shops (
    id integer NOT NULL,
    open_days public.weekday[] NOT NULL DEFAULT ARRAY['mon', 'tue', 'wed', 'thu', 'fri']::public.weekday[],
    CONSTRAINT shops_pkey PRIMARY KEY (id)
);

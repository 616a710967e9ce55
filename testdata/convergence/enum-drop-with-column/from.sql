-- enum-drop-with-column (from): an enum is dropped together with the column that uses it

CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE public.t (
    id integer NOT NULL,
    mood public.mood,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

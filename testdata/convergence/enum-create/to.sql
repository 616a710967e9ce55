-- enum-create (to): an enum type is created (unused)

CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-type-to-enum (to): a text column becomes an enum column (the enum is created)

CREATE TYPE public.t_status AS ENUM ('draft', 'published', 'archived');

CREATE TABLE public.t (
    id integer NOT NULL,
    status public.t_status NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

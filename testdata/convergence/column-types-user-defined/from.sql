-- column-types-user-defined (from): columns of a user enum, a domain, and arrays of both

CREATE TYPE public.color AS ENUM ('red', 'green', 'blue');

CREATE DOMAIN public.positive_int AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0);

CREATE TABLE public.widgets (
    id integer NOT NULL,
    CONSTRAINT widgets_pkey PRIMARY KEY (id)
);

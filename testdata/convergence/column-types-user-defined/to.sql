-- column-types-user-defined (to): columns of a user enum, a domain, and arrays of both

CREATE TYPE public.color AS ENUM ('red', 'green', 'blue');

CREATE DOMAIN public.positive_int AS integer CONSTRAINT positive_int_check CHECK (VALUE > 0);

CREATE TABLE public.widgets (
    id integer NOT NULL,
    color public.color NOT NULL DEFAULT 'red',
    palette public.color[],
    quantity public.positive_int,
    CONSTRAINT widgets_pkey PRIMARY KEY (id)
);

-- order-enum-replaced (from): a column switches from one enum type to a new one; the old enum is dropped

CREATE TYPE public.status_v1 AS ENUM ('on', 'off');

CREATE TABLE public.switches (
    id integer NOT NULL,
    status public.status_v1 NOT NULL DEFAULT 'off',
    CONSTRAINT switches_pkey PRIMARY KEY (id)
);

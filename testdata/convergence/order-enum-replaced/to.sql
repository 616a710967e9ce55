-- order-enum-replaced (to): a column switches from one enum type to a new one; the old enum is dropped

CREATE TYPE public.status_v2 AS ENUM ('on', 'off', 'broken');

CREATE TABLE public.switches (
    id integer NOT NULL,
    status public.status_v2 NOT NULL DEFAULT 'off',
    CONSTRAINT switches_pkey PRIMARY KEY (id)
);

-- serial-to-bigserial (from): a serial primary key becomes bigserial

CREATE TABLE public.t (
    id serial,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

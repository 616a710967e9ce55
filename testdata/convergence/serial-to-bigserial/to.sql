-- serial-to-bigserial (to): a serial primary key becomes bigserial

CREATE TABLE public.t (
    id bigserial,
    name text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

-- column-default-swap (from): one column loses its default while another gains one

CREATE TABLE public.t (
    id integer NOT NULL,
    a integer DEFAULT 42,
    b integer,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

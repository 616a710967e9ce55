-- column-default-swap (to): one column loses its default while another gains one

CREATE TABLE public.t (
    id integer NOT NULL,
    a integer,
    b integer DEFAULT 7,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

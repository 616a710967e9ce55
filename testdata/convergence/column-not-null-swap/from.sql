-- column-not-null-swap (from): one column gains NOT NULL while another loses it

CREATE TABLE public.t (
    id integer NOT NULL,
    a text NOT NULL,
    b text,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

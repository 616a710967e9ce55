-- column-not-null-swap (to): one column gains NOT NULL while another loses it

CREATE TABLE public.t (
    id integer NOT NULL,
    a text,
    b text NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

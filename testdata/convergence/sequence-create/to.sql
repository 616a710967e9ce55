-- sequence-create (to): standalone sequences are created

CREATE TABLE public.t (
    id integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE SEQUENCE public.order_no_seq;

CREATE SEQUENCE public.ticket_no_seq AS integer START WITH 500 INCREMENT BY 2;

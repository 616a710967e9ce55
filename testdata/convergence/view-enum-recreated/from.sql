-- view-enum-recreated (from): a view exposes and filters on an enum column

CREATE TYPE public.ticket_state AS ENUM ('open', 'pending', 'closed');

CREATE TABLE public.tickets (
    id integer NOT NULL,
    state public.ticket_state NOT NULL DEFAULT 'open',
    CONSTRAINT tickets_pkey PRIMARY KEY (id)
);

CREATE VIEW public.open_tickets AS
    SELECT id, state FROM public.tickets WHERE state <> 'closed'::public.ticket_state;

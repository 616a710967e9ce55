-- view-enum-recreated (to): an enum value is removed, so the type is recreated and its column converted: the view goes first and comes back after

CREATE TYPE public.ticket_state AS ENUM ('open', 'closed');

CREATE TABLE public.tickets (
    id integer NOT NULL,
    state public.ticket_state NOT NULL DEFAULT 'open',
    CONSTRAINT tickets_pkey PRIMARY KEY (id)
);

CREATE VIEW public.open_tickets AS
    SELECT id, state FROM public.tickets WHERE state <> 'closed'::public.ticket_state;

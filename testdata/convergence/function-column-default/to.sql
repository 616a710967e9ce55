-- function-column-default (to): the function takes an optional prefix (a new signature: the old function goes, the new one is created before the default that calls it)

CREATE SEQUENCE public.ticket_no;

CREATE FUNCTION public.next_ticket(prefix text DEFAULT 'T-') RETURNS text
    LANGUAGE sql
    AS $$ SELECT prefix || nextval('public.ticket_no') $$;

CREATE TABLE public.tickets (
    code text NOT NULL DEFAULT public.next_ticket(),
    title text NOT NULL,
    CONSTRAINT tickets_pkey PRIMARY KEY (code)
);

-- function-column-default (from): a column default calls a function

CREATE SEQUENCE public.ticket_no;

CREATE FUNCTION public.next_ticket() RETURNS text
    LANGUAGE sql
    AS $$ SELECT 'T-' || nextval('public.ticket_no') $$;

CREATE TABLE public.tickets (
    code text NOT NULL DEFAULT public.next_ticket(),
    title text NOT NULL,
    CONSTRAINT tickets_pkey PRIMARY KEY (code)
);

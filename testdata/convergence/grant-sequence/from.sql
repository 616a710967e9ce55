-- grant-sequence (from): a sequence

CREATE SEQUENCE public.ticket_seq;

-- grant-sequence (to): USAGE and SELECT on it

CREATE SEQUENCE public.ticket_seq;

GRANT USAGE, SELECT ON SEQUENCE public.ticket_seq TO sextant_writer;

GRANT SELECT ON SEQUENCE public.ticket_seq TO sextant_reader;

-- sequence-comment (to): sequences gain/change comments

CREATE SEQUENCE public.a_seq;

CREATE SEQUENCE public.b_seq;

COMMENT ON SEQUENCE public.a_seq IS 'Numbers for A';

COMMENT ON SEQUENCE public.b_seq IS 'Numbers for B';

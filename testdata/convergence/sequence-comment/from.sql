-- sequence-comment (from): sequences gain/change comments

CREATE SEQUENCE public.a_seq;

CREATE SEQUENCE public.b_seq;

COMMENT ON SEQUENCE public.b_seq IS 'old text';

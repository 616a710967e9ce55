-- sequence-as-type (to): sequence data types change (smallint -> bigint, bigint -> integer)

CREATE SEQUENCE public.small_seq AS bigint;

CREATE SEQUENCE public.wide_seq AS integer;

CREATE SEQUENCE public.int_seq AS smallint MAXVALUE 1000;

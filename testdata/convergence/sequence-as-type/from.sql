-- sequence-as-type (from): sequence data types change (smallint -> bigint, bigint -> integer)

CREATE SEQUENCE public.small_seq AS smallint;

CREATE SEQUENCE public.wide_seq AS bigint;

CREATE SEQUENCE public.int_seq AS integer MAXVALUE 1000;

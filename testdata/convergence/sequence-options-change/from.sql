-- sequence-options-change (from): sequence options change: start, increment, min/max, cache, cycle

CREATE SEQUENCE public.s1 START WITH 1 INCREMENT BY 1;

CREATE SEQUENCE public.s2 INCREMENT BY 10 MINVALUE 10 MAXVALUE 100000 START WITH 10 CACHE 1 NO CYCLE;

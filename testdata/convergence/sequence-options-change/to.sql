-- sequence-options-change (to): sequence options change: start, increment, min/max, cache, cycle

CREATE SEQUENCE public.s1 START WITH 100 INCREMENT BY 5 CACHE 50;

CREATE SEQUENCE public.s2 INCREMENT BY -10 MINVALUE -100000 MAXVALUE -10 START WITH -10 CACHE 1 CYCLE;

-- partition-multi-column-key (to): a table partitioned by a two-column range key, one bound open with MAXVALUE

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

CREATE TABLE public.readings (
    sensor integer NOT NULL,
    taken_on date NOT NULL,
    value double precision
) PARTITION BY RANGE (sensor, taken_on);

CREATE TABLE public.readings_a PARTITION OF public.readings FOR VALUES FROM (0, '2024-01-01') TO (100, '2024-01-01');
CREATE TABLE public.readings_b PARTITION OF public.readings FOR VALUES FROM (100, '2024-01-01') TO (MAXVALUE, MAXVALUE);

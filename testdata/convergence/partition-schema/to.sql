-- partition-schema (to): partitions in a schema other than their parent's

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

CREATE SCHEMA archive;

CREATE TABLE public.logs (
    id bigint NOT NULL,
    at date NOT NULL
) PARTITION BY RANGE (at);

CREATE TABLE archive.logs_2023 PARTITION OF public.logs FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.logs_2024 PARTITION OF public.logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

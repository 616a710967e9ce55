-- partition-plain-to-partitioned (from): a plain table

CREATE TABLE public.events (
    id bigint NOT NULL,
    created_on date NOT NULL,
    payload text
);

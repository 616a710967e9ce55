-- partition-hash-create (to): a hash-partitioned table with three partitions

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

CREATE TABLE public.sessions (
    id uuid NOT NULL,
    user_id integer NOT NULL
) PARTITION BY HASH (id);

CREATE TABLE public.sessions_0 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE public.sessions_1 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE public.sessions_2 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 3, REMAINDER 2);

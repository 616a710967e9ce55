-- partition-key-change-serial (to): the key changes to a hash of id; the serial sequence stays

CREATE TABLE public.jobs (
    id bigserial NOT NULL,
    queue text NOT NULL
) PARTITION BY HASH (id);

CREATE TABLE public.jobs_mail PARTITION OF public.jobs FOR VALUES WITH (MODULUS 1, REMAINDER 0);

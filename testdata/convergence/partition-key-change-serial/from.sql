-- partition-key-change-serial (from): a partitioned table with a serial column, partitioned by list

CREATE TABLE public.jobs (
    id bigserial NOT NULL,
    queue text NOT NULL
) PARTITION BY LIST (queue);

CREATE TABLE public.jobs_mail PARTITION OF public.jobs FOR VALUES IN ('mail');

-- partition-trigger (from): a partitioned table with two partitions and a trigger function, no triggers
CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TABLE public.events (id bigint NOT NULL, kind text, taken_on date NOT NULL, updated_at timestamptz)
  PARTITION BY RANGE (taken_on);
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

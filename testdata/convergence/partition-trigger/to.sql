-- partition-trigger (to): a row trigger with an UPDATE OF list and a WHEN condition on the parent (cloned onto every partition, a new one included) and a statement trigger on one partition
CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TABLE public.events (id bigint NOT NULL, kind text, taken_on date NOT NULL, updated_at timestamptz)
  PARTITION BY RANGE (taken_on);
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE public.events_2027 PARTITION OF public.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TRIGGER events_stamp BEFORE INSERT OR UPDATE OF kind ON public.events
  FOR EACH ROW WHEN (NEW.kind IS NOT NULL) EXECUTE FUNCTION public.stamp();
CREATE TRIGGER events_audit AFTER DELETE ON public.events_2025
  FOR EACH STATEMENT EXECUTE FUNCTION public.stamp();

-- partition-trigger-state (from): an INSERT trigger on a list-partitioned table, with a comment
CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END $$;
CREATE TABLE public.readings (sensor int NOT NULL, v numeric) PARTITION BY LIST (sensor);
CREATE TABLE public.readings_1 PARTITION OF public.readings FOR VALUES IN (1);
CREATE TABLE public.readings_rest PARTITION OF public.readings DEFAULT;
CREATE TRIGGER readings_stamp BEFORE INSERT ON public.readings FOR EACH ROW EXECUTE FUNCTION public.stamp();
COMMENT ON TRIGGER readings_stamp ON public.readings IS 'stamps rows';

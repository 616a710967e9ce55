-- partition-trigger-state (to): the trigger fires on UPDATE too, is disabled and has no comment
CREATE FUNCTION public.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END $$;
CREATE TABLE public.readings (sensor int NOT NULL, v numeric) PARTITION BY LIST (sensor);
CREATE TABLE public.readings_1 PARTITION OF public.readings FOR VALUES IN (1);
CREATE TABLE public.readings_rest PARTITION OF public.readings DEFAULT;
CREATE TRIGGER readings_stamp BEFORE INSERT OR UPDATE ON public.readings FOR EACH ROW EXECUTE FUNCTION public.stamp();
ALTER TABLE public.readings DISABLE TRIGGER readings_stamp;

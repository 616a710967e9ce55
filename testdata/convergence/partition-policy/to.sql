-- partition-policy (to): RLS enabled and forced on the parent with a restrictive SELECT policy, and enabled on a partition with an UPDATE policy of its own
CREATE TABLE public.orders (id bigint NOT NULL, tenant text NOT NULL, placed_on date NOT NULL)
  PARTITION BY RANGE (placed_on);
CREATE TABLE public.orders_2026 PARTITION OF public.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.orders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON public.orders AS RESTRICTIVE FOR SELECT
  USING (tenant = current_setting('app.tenant', true));
ALTER TABLE public.orders_2026 ENABLE ROW LEVEL SECURITY;
CREATE POLICY recent_rows ON public.orders_2026 FOR UPDATE USING (placed_on > '2026-06-01') WITH CHECK (true);

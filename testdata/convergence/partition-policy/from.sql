-- partition-policy (from): a range-partitioned table without row-level security
CREATE TABLE public.orders (id bigint NOT NULL, tenant text NOT NULL, placed_on date NOT NULL)
  PARTITION BY RANGE (placed_on);
CREATE TABLE public.orders_2026 PARTITION OF public.orders FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- function-new-table-check (to): a new function used by a new table's check, default and index, and by a domain (the function is created before all of them)

CREATE TABLE public.keep (
    id integer NOT NULL,
    CONSTRAINT keep_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.is_positive(n numeric) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN n > 0;

CREATE FUNCTION public.zero() RETURNS numeric
    LANGUAGE sql IMMUTABLE
    RETURN 0;

CREATE DOMAIN public.amount AS numeric(12,2)
    CONSTRAINT amount_positive CHECK (public.is_positive(VALUE));

CREATE TABLE public.payments (
    id integer NOT NULL,
    paid public.amount NOT NULL,
    fee numeric(12,2) NOT NULL DEFAULT public.zero(),
    CONSTRAINT payments_pkey PRIMARY KEY (id),
    CONSTRAINT payments_fee_check CHECK (public.is_positive(fee + 1))
);

CREATE INDEX payments_positive_fee ON public.payments (id) WHERE public.is_positive(fee);

-- domain-not-null-default (to): a domain gains NOT NULL and a DEFAULT

CREATE DOMAIN public.quantity AS integer NOT NULL DEFAULT 1;

-- domain-not-null-default (from): a domain gains NOT NULL and a DEFAULT

CREATE DOMAIN public.quantity AS integer;

-- domain-comment (from): comments on a domain and on an enum type

CREATE DOMAIN public.slug AS text;

CREATE TYPE public.tier AS ENUM ('free', 'pro');

COMMENT ON TYPE public.tier IS 'pricing tier';

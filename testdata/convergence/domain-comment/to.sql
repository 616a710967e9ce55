-- domain-comment (to): comments on a domain and on an enum type

CREATE DOMAIN public.slug AS text;

CREATE TYPE public.tier AS ENUM ('free', 'pro');

COMMENT ON DOMAIN public.slug IS 'URL-safe identifier';

COMMENT ON TYPE public.tier IS 'Pricing tier of an account';

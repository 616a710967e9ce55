-- collation-comment (to): it gets a comment

CREATE COLLATION public.swedish (provider = icu, locale = 'sv-SE');

COMMENT ON COLLATION public.swedish IS 'for names';

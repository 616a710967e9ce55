-- collation-comment (from): an ICU collation

CREATE COLLATION public.swedish (provider = icu, locale = 'sv-SE');

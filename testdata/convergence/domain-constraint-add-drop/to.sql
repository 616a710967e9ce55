-- domain-constraint-add-drop (to): one domain constraint is dropped and two others are added

CREATE DOMAIN public.username AS text
    CONSTRAINT username_length CHECK (length(VALUE) BETWEEN 3 AND 32)
    CONSTRAINT username_charset CHECK (VALUE ~ '^[a-z0-9_]+$');

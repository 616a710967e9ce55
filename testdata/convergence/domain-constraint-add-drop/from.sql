-- domain-constraint-add-drop (from): one domain constraint is dropped and two others are added

CREATE DOMAIN public.username AS text
    CONSTRAINT username_not_empty CHECK (VALUE <> '');

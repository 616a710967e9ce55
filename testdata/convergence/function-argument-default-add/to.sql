-- function-argument-default-add (to): the second parameter gets a default (replaced in place); removing it again is refused by CREATE OR REPLACE, so the reverse recreates the function and the view

CREATE FUNCTION public.pad(s text, width integer DEFAULT 10) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN lpad(s, width);

CREATE VIEW public.padded AS
    SELECT public.pad('x', 3) AS x;

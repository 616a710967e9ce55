-- function-argument-default-add (from): no defaults; a view calls the function

CREATE FUNCTION public.pad(s text, width integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN lpad(s, width);

CREATE VIEW public.padded AS
    SELECT public.pad('x', 3) AS x;

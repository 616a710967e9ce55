-- function-attributes (from): a function with the default attributes

CREATE FUNCTION public.slugify(s text) RETURNS text
    LANGUAGE sql
    RETURN regexp_replace(lower(s), '[^a-z0-9]+', '-', 'g');

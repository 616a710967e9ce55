-- function-attributes (to): immutable, strict, leakproof, parallel safe, with a cost (replaced in place)

CREATE FUNCTION public.slugify(s text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE COST 5
    RETURN regexp_replace(lower(s), '[^a-z0-9]+', '-', 'g');

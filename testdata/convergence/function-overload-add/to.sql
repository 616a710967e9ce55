-- function-overload-add (to): an overload for numeric arguments next to it, with a comment each

CREATE FUNCTION public.clamp(v integer, lo integer, hi integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN greatest(lo, least(hi, v));

CREATE FUNCTION public.clamp(v numeric, lo numeric, hi numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    RETURN greatest(lo, least(hi, v));

COMMENT ON FUNCTION public.clamp(integer, integer, integer) IS 'integers';
COMMENT ON FUNCTION public.clamp(numeric, numeric, numeric) IS 'numerics';

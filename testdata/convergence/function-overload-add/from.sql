-- function-overload-add (from): one function

CREATE FUNCTION public.clamp(v integer, lo integer, hi integer) RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN greatest(lo, least(hi, v));

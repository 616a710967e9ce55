-- function-argument-default-change (from): a parameter with a default

CREATE FUNCTION public.greet(who text, greeting text DEFAULT 'hello') RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN greeting || ', ' || who;

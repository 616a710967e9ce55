-- function-argument-default-change (to): the default's value changes (CREATE OR REPLACE accepts it)

CREATE FUNCTION public.greet(who text, greeting text DEFAULT 'hi') RETURNS text
    LANGUAGE sql IMMUTABLE
    RETURN greeting || ', ' || who;

-- function-default-recreated (to): the function returns smallint (drop and create): the default is dropped first and set again once the function is back

CREATE FUNCTION public.default_priority() RETURNS smallint
    LANGUAGE sql IMMUTABLE
    RETURN 3;

CREATE TABLE public.tasks (
    id integer NOT NULL,
    priority integer NOT NULL DEFAULT public.default_priority(),
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

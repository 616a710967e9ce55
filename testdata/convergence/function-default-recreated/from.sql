-- function-default-recreated (from): a column default calls a function returning integer

CREATE FUNCTION public.default_priority() RETURNS integer
    LANGUAGE sql IMMUTABLE
    RETURN 3;

CREATE TABLE public.tasks (
    id integer NOT NULL,
    priority integer NOT NULL DEFAULT public.default_priority(),
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

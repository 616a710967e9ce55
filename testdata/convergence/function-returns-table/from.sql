-- function-returns-table (from): a set-returning function over a table's row type and one returning a table of one column

CREATE TABLE public.tasks (
    id integer NOT NULL,
    title text NOT NULL,
    done boolean NOT NULL DEFAULT false,
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.open_tasks() RETURNS SETOF public.tasks
    LANGUAGE sql STABLE ROWS 20
    AS $$ SELECT * FROM public.tasks WHERE NOT done $$;

CREATE FUNCTION public.task_titles() RETURNS TABLE(title text)
    LANGUAGE sql STABLE
    AS $$ SELECT title FROM public.tasks $$;

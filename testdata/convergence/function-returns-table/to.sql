-- function-returns-table (to): the table result gains a column (a new result type: drop and create) and the row estimate changes (replace)

CREATE TABLE public.tasks (
    id integer NOT NULL,
    title text NOT NULL,
    done boolean NOT NULL DEFAULT false,
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.open_tasks() RETURNS SETOF public.tasks
    LANGUAGE sql STABLE ROWS 50
    AS $$ SELECT * FROM public.tasks WHERE NOT done $$;

CREATE FUNCTION public.task_titles() RETURNS TABLE(id integer, title text)
    LANGUAGE sql STABLE
    AS $$ SELECT id, title FROM public.tasks $$;

-- function-setof-new-table (to): a new table, a function returning its rows and a view over the function (the table first, the function after it, the view last; dropped in reverse)

CREATE TABLE public.keep (
    id integer NOT NULL,
    CONSTRAINT keep_pkey PRIMARY KEY (id)
);

CREATE TABLE public.notes (
    id integer NOT NULL,
    body text NOT NULL,
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.recent_notes(n integer) RETURNS SETOF public.notes
    LANGUAGE sql STABLE
    AS $$ SELECT * FROM public.notes ORDER BY id DESC LIMIT n $$;

CREATE VIEW public.latest_notes AS
    SELECT id, body FROM public.recent_notes(10);

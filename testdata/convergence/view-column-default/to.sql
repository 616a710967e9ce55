-- view-column-default (to): inserts through the view get defaults for two columns (one changed, one added), and the query gains a column

CREATE TABLE public.notes (
    id integer NOT NULL,
    body text NOT NULL,
    pinned boolean NOT NULL,
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);

CREATE VIEW public.note_entry AS
    SELECT id, body, pinned, length(body) AS size FROM public.notes;

ALTER VIEW public.note_entry ALTER COLUMN body SET DEFAULT '';
ALTER VIEW public.note_entry ALTER COLUMN pinned SET DEFAULT false;

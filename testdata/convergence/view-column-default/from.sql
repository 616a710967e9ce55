-- view-column-default (from): an updatable view whose columns have no defaults

CREATE TABLE public.notes (
    id integer NOT NULL,
    body text NOT NULL,
    pinned boolean NOT NULL,
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);

CREATE VIEW public.note_entry AS
    SELECT id, body, pinned FROM public.notes;

ALTER VIEW public.note_entry ALTER COLUMN body SET DEFAULT 'untitled';

-- view-column-default-function (to): the function gets an optional parameter (a new signature): the view goes before the old function and comes back, with its default, after the new one

CREATE TABLE public.labels (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT labels_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.default_label(prefix text DEFAULT '') RETURNS text
    LANGUAGE sql STABLE
    RETURN prefix || 'label';

CREATE VIEW public.label_entry AS
    SELECT id, name FROM public.labels;

ALTER VIEW public.label_entry ALTER COLUMN name SET DEFAULT public.default_label();

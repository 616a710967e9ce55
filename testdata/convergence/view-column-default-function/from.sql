-- view-column-default-function (from): an updatable view whose column default calls a function

CREATE TABLE public.labels (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT labels_pkey PRIMARY KEY (id)
);

CREATE FUNCTION public.default_label() RETURNS text
    LANGUAGE sql STABLE
    RETURN 'label';

CREATE VIEW public.label_entry AS
    SELECT id, name FROM public.labels;

ALTER VIEW public.label_entry ALTER COLUMN name SET DEFAULT public.default_label();

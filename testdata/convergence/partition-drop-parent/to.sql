-- partition-drop-parent (to): only the other table is left

CREATE TABLE public.other (
    id integer NOT NULL,
    CONSTRAINT other_pkey PRIMARY KEY (id)
);

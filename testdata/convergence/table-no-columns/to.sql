-- table-no-columns (to): a table without columns gains columns (and the reverse drops them all)

CREATE TABLE public.marker (
    id integer,
    label text
);

-- table-no-columns (from): a table without columns gains columns (and the reverse drops them all)

CREATE TABLE public.marker ();

-- serial-column-add (from): serial and bigserial columns are added (with their owned sequences)

CREATE TABLE public.t (
    name text NOT NULL
);

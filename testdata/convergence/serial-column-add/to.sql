-- serial-column-add (to): serial and bigserial columns are added (with their owned sequences)

CREATE TABLE public.t (
    name text NOT NULL,
    small_no smallserial,
    no serial,
    big_no bigserial
);

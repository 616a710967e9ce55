-- exclude-add (from): an exclusion constraint using btree_gist is added

CREATE EXTENSION btree_gist;

CREATE TABLE public.reservations (
    id integer NOT NULL,
    room integer NOT NULL,
    during tstzrange NOT NULL,
    CONSTRAINT reservations_pkey PRIMARY KEY (id)
);

-- exclude-change (to): an exclusion constraint gains a column and a WHERE predicate

CREATE EXTENSION btree_gist;

CREATE TABLE public.reservations (
    id integer NOT NULL,
    site integer NOT NULL,
    room integer NOT NULL,
    during tstzrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false,
    CONSTRAINT reservations_pkey PRIMARY KEY (id),
    CONSTRAINT reservations_no_overlap EXCLUDE USING gist (site WITH =, room WITH =, during WITH &&) WHERE (NOT cancelled)
);

-- realistic-booking (from): a room-booking schema: exclusion constraint, ranges and new resource types

CREATE EXTENSION btree_gist;

CREATE TABLE public.rooms (
    id smallint NOT NULL,
    name text NOT NULL,
    capacity smallint NOT NULL,
    CONSTRAINT rooms_pkey PRIMARY KEY (id)
);

CREATE TABLE public.bookings (
    id bigserial,
    room_id smallint NOT NULL,
    booked_by text NOT NULL,
    during tsrange NOT NULL,
    CONSTRAINT bookings_pkey PRIMARY KEY (id),
    CONSTRAINT bookings_room_fkey FOREIGN KEY (room_id) REFERENCES public.rooms (id),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&)
);

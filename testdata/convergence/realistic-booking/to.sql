-- realistic-booking (to): a room-booking schema: exclusion constraint, ranges and new resource types

CREATE EXTENSION btree_gist;

CREATE TYPE public.resource_kind AS ENUM ('room', 'desk', 'parking');

CREATE TABLE public.rooms (
    id integer NOT NULL,
    name text NOT NULL,
    capacity smallint NOT NULL,
    kind public.resource_kind NOT NULL DEFAULT 'room',
    equipment text[] NOT NULL DEFAULT '{}',
    CONSTRAINT rooms_pkey PRIMARY KEY (id),
    CONSTRAINT rooms_capacity_check CHECK (capacity > 0)
);

CREATE TABLE public.bookings (
    id bigserial,
    room_id integer NOT NULL,
    booked_by text NOT NULL,
    during tstzrange NOT NULL,
    cancelled_at timestamptz,
    CONSTRAINT bookings_pkey PRIMARY KEY (id),
    CONSTRAINT bookings_room_fkey FOREIGN KEY (room_id) REFERENCES public.rooms (id) ON DELETE CASCADE,
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (cancelled_at IS NULL),
    CONSTRAINT bookings_bounded CHECK (NOT upper_inf(during))
);

CREATE INDEX bookings_booked_by_idx ON public.bookings (booked_by);

COMMENT ON CONSTRAINT bookings_no_overlap ON public.bookings IS 'no double booking of a room';

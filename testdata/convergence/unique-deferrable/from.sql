-- unique-deferrable (from): unique constraints become DEFERRABLE (initially deferred / immediate)

CREATE TABLE public.slots (
    id integer NOT NULL,
    position integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT slots_pkey PRIMARY KEY (id),
    CONSTRAINT slots_position_key UNIQUE (position),
    CONSTRAINT slots_code_key UNIQUE (code)
);

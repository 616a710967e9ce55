-- column-type-bit-length (from): bit(8) becomes bit(16) and varbit(8) becomes varbit(32)

CREATE TABLE public.t (
    id integer NOT NULL,
    mask bit(8),
    flags varbit(8),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

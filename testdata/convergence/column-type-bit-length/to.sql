-- column-type-bit-length (to): bit(8) becomes bit(16) and varbit(8) becomes varbit(32)

CREATE TABLE public.t (
    id integer NOT NULL,
    mask bit(16),
    flags varbit(32),
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

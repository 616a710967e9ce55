-- check-comment (from): a comment is put on a check constraint and another constraint comment changes

CREATE TABLE public.t (
    id integer NOT NULL,
    qty integer NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id),
    CONSTRAINT t_qty_check CHECK (qty > 0)
);

COMMENT ON CONSTRAINT t_pkey ON public.t IS 'surrogate key';

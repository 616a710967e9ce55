-- column-types-datetime (from): date/time columns including precisions and interval fields

CREATE TABLE public.schedule (
    id integer NOT NULL,
    CONSTRAINT schedule_pkey PRIMARY KEY (id)
);

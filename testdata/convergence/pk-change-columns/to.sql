-- pk-change-columns (to): the primary key moves from one column to another

CREATE TABLE public.users (
    id integer NOT NULL,
    uid uuid NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (uid)
);

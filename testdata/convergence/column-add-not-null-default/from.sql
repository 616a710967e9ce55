-- column-add-not-null-default (from): NOT NULL columns with defaults are added

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

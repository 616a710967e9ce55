-- extension-citext-column (to): a text column becomes citext

CREATE EXTENSION citext;

CREATE TABLE public.users (
    id integer NOT NULL,
    email citext NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_key UNIQUE (email)
);

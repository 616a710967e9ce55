-- column-add-nullable (to): a nullable column is added at the end of a table

CREATE TABLE public.users (
    id bigint NOT NULL,
    email text NOT NULL,
    nickname varchar(40),
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

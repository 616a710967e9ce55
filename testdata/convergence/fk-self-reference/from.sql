-- fk-self-reference (from): a self-referencing foreign key (employee -> manager) is added with its column

CREATE TABLE public.employees (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT employees_pkey PRIMARY KEY (id)
);

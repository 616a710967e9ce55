-- fk-circular (from): two tables reference each other (circular foreign keys)

CREATE TABLE public.departments (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT departments_pkey PRIMARY KEY (id)
);

CREATE TABLE public.employees (
    id integer NOT NULL,
    name text NOT NULL,
    CONSTRAINT employees_pkey PRIMARY KEY (id)
);

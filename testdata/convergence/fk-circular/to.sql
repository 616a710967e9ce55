-- fk-circular (to): two tables reference each other (circular foreign keys)

CREATE TABLE public.departments (
    id integer NOT NULL,
    name text NOT NULL,
    head_id integer,
    CONSTRAINT departments_pkey PRIMARY KEY (id)
);

CREATE TABLE public.employees (
    id integer NOT NULL,
    name text NOT NULL,
    department_id integer,
    CONSTRAINT employees_pkey PRIMARY KEY (id),
    CONSTRAINT employees_department_fkey FOREIGN KEY (department_id) REFERENCES public.departments (id)
);

ALTER TABLE public.departments
    ADD CONSTRAINT departments_head_fkey FOREIGN KEY (head_id) REFERENCES public.employees (id) DEFERRABLE INITIALLY DEFERRED;

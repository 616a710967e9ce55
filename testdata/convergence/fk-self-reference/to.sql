-- fk-self-reference (to): a self-referencing foreign key (employee -> manager) is added with its column

CREATE TABLE public.employees (
    id integer NOT NULL,
    name text NOT NULL,
    manager_id integer,
    CONSTRAINT employees_pkey PRIMARY KEY (id),
    CONSTRAINT employees_manager_fkey FOREIGN KEY (manager_id) REFERENCES public.employees (id) ON DELETE SET NULL
);

CREATE INDEX employees_manager_idx ON public.employees (manager_id);

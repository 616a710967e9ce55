-- fk-composite (to): a composite foreign key referencing a composite unique constraint

CREATE TABLE public.projects (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    CONSTRAINT projects_pkey PRIMARY KEY (tenant_id, id)
);

CREATE TABLE public.tasks (
    id integer NOT NULL,
    tenant_id integer NOT NULL,
    project_id integer NOT NULL,
    CONSTRAINT tasks_pkey PRIMARY KEY (id),
    CONSTRAINT tasks_project_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES public.projects (tenant_id, id) ON DELETE CASCADE
);

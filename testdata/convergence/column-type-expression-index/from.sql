-- column-type-expression-index (from): a varchar column with an expression index lower(email) is widened

CREATE TABLE public.t (
    id integer NOT NULL,
    email varchar(100) NOT NULL,
    CONSTRAINT t_pkey PRIMARY KEY (id)
);

CREATE UNIQUE INDEX t_email_lower_idx ON public.t (lower((email)::text));

-- domain-over-enum (to): a domain over an enum, used by a column; the enum gains a value

CREATE TYPE public.state AS ENUM ('open', 'locked', 'closed', 'deleted');

CREATE DOMAIN public.visible_state AS public.state
    CONSTRAINT visible_state_check CHECK (VALUE <> 'deleted');

CREATE TABLE public.threads (
    id integer NOT NULL,
    state public.visible_state NOT NULL,
    CONSTRAINT threads_pkey PRIMARY KEY (id)
);

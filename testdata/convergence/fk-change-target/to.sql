-- fk-change-target (to): a foreign key of the same name points at a different table

CREATE TABLE public.people (
    id bigint NOT NULL,
    CONSTRAINT people_pkey PRIMARY KEY (id)
);

CREATE TABLE public.companies (
    id bigint NOT NULL,
    CONSTRAINT companies_pkey PRIMARY KEY (id)
);

CREATE TABLE public.contracts (
    id bigint NOT NULL,
    party_id bigint NOT NULL,
    CONSTRAINT contracts_pkey PRIMARY KEY (id),
    CONSTRAINT contracts_party_fkey FOREIGN KEY (party_id) REFERENCES public.companies (id)
);

-- order-cross-schema-chain (from): new schemas whose objects depend on each other across schemas

CREATE TABLE public.audit (
    id bigint NOT NULL,
    CONSTRAINT audit_pkey PRIMARY KEY (id)
);

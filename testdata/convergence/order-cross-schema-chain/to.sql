-- order-cross-schema-chain (to): new schemas whose objects depend on each other across schemas

CREATE SCHEMA zeta;
CREATE SCHEMA alpha;

CREATE TYPE zeta.role AS ENUM ('viewer', 'editor', 'owner');

CREATE DOMAIN zeta.admin_role AS zeta.role
    CONSTRAINT admin_role_check CHECK (VALUE <> 'viewer');

CREATE TABLE zeta.orgs (
    id bigint NOT NULL,
    CONSTRAINT orgs_pkey PRIMARY KEY (id)
);

CREATE TABLE alpha.members (
    org_id bigint NOT NULL,
    user_name text NOT NULL,
    role zeta.role NOT NULL DEFAULT 'viewer',
    CONSTRAINT members_pkey PRIMARY KEY (org_id, user_name),
    CONSTRAINT members_org_fkey FOREIGN KEY (org_id) REFERENCES zeta.orgs (id) ON DELETE CASCADE
);

CREATE TABLE public.audit (
    id bigint NOT NULL,
    org_id bigint,
    actor_role zeta.admin_role,
    CONSTRAINT audit_pkey PRIMARY KEY (id),
    CONSTRAINT audit_org_fkey FOREIGN KEY (org_id) REFERENCES zeta.orgs (id)
);

-- pk-composite (to): a single-column primary key becomes composite

CREATE TABLE public.memberships (
    org_id bigint NOT NULL,
    user_id bigint NOT NULL,
    role text NOT NULL,
    CONSTRAINT memberships_pkey PRIMARY KEY (org_id, user_id)
);

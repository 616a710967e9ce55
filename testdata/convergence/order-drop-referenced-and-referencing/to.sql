-- order-drop-referenced-and-referencing (to): a referenced table and the table referencing it are dropped together

CREATE TABLE public.settings (
    key text NOT NULL,
    CONSTRAINT settings_pkey PRIMARY KEY (key)
);

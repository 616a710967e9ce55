-- trigger-drop-with-table-and-function (to): the table and the function are dropped together

CREATE TABLE public.customers (
    id integer NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (id)
);

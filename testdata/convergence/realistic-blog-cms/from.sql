-- realistic-blog-cms (from): a blog/CMS schema gains full-text search, threaded comments and a post state enum

CREATE TABLE public.authors (
    id integer GENERATED ALWAYS AS IDENTITY,
    handle varchar(30) NOT NULL,
    bio text,
    CONSTRAINT authors_pkey PRIMARY KEY (id),
    CONSTRAINT authors_handle_key UNIQUE (handle)
);

CREATE TABLE public.posts (
    id integer GENERATED ALWAYS AS IDENTITY,
    author_id integer NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    published boolean NOT NULL DEFAULT false,
    published_at timestamptz,
    CONSTRAINT posts_pkey PRIMARY KEY (id),
    CONSTRAINT posts_author_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id)
);

CREATE TABLE public.tags (
    id integer GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    CONSTRAINT tags_pkey PRIMARY KEY (id),
    CONSTRAINT tags_name_key UNIQUE (name)
);

CREATE TABLE public.post_tags (
    post_id integer NOT NULL,
    tag_id integer NOT NULL,
    CONSTRAINT post_tags_pkey PRIMARY KEY (post_id, tag_id),
    CONSTRAINT post_tags_post_fkey FOREIGN KEY (post_id) REFERENCES public.posts (id),
    CONSTRAINT post_tags_tag_fkey FOREIGN KEY (tag_id) REFERENCES public.tags (id)
);

CREATE TABLE public.comments (
    id bigint GENERATED ALWAYS AS IDENTITY,
    post_id integer NOT NULL,
    body text NOT NULL,
    CONSTRAINT comments_pkey PRIMARY KEY (id),
    CONSTRAINT comments_post_fkey FOREIGN KEY (post_id) REFERENCES public.posts (id)
);

CREATE INDEX posts_published_idx ON public.posts (published_at DESC) WHERE published;

-- realistic-blog-cms (to): a blog/CMS schema gains full-text search, threaded comments and a post state enum

CREATE EXTENSION pg_trgm;

CREATE TYPE public.post_state AS ENUM ('draft', 'review', 'published', 'retracted');

CREATE TABLE public.authors (
    id integer GENERATED ALWAYS AS IDENTITY,
    handle varchar(30) COLLATE "C" NOT NULL,
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
    state public.post_state NOT NULL DEFAULT 'draft',
    slug varchar(120) NOT NULL,
    search tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title || ' ' || body)) STORED,
    CONSTRAINT posts_pkey PRIMARY KEY (id),
    CONSTRAINT posts_author_fkey FOREIGN KEY (author_id) REFERENCES public.authors (id) ON DELETE CASCADE,
    CONSTRAINT posts_slug_key UNIQUE (slug),
    CONSTRAINT posts_published_at_check CHECK (NOT published OR published_at IS NOT NULL)
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
    CONSTRAINT post_tags_post_fkey FOREIGN KEY (post_id) REFERENCES public.posts (id) ON DELETE CASCADE,
    CONSTRAINT post_tags_tag_fkey FOREIGN KEY (tag_id) REFERENCES public.tags (id) ON DELETE CASCADE
);

CREATE TABLE public.comments (
    id bigint GENERATED ALWAYS AS IDENTITY,
    post_id integer NOT NULL,
    body text NOT NULL,
    parent_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT comments_pkey PRIMARY KEY (id),
    CONSTRAINT comments_post_fkey FOREIGN KEY (post_id) REFERENCES public.posts (id) ON DELETE CASCADE,
    CONSTRAINT comments_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.comments (id) ON DELETE CASCADE
);

CREATE INDEX posts_published_idx ON public.posts (published_at DESC) WHERE state = 'published';
CREATE INDEX posts_search_idx ON public.posts USING gin (search);
CREATE INDEX posts_title_trgm_idx ON public.posts USING gin (title gin_trgm_ops);
CREATE INDEX comments_parent_idx ON public.comments (parent_id);
CREATE INDEX post_tags_tag_idx ON public.post_tags (tag_id);

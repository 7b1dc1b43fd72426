-- Content and community (sketch §1 "Content and Community") and reviews, which the
-- sketch uses (therapist_search_view, search_therapists) but never defines.
CREATE TABLE articles (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id UUID REFERENCES users(id) ON DELETE CASCADE,
    title VARCHAR(500) NOT NULL,
    slug VARCHAR(500) UNIQUE NOT NULL,
    content TEXT NOT NULL,
    excerpt TEXT,
    featured_image_url VARCHAR(500),
    category VARCHAR(100),
    tags TEXT[],
    reading_time_minutes INT CHECK (reading_time_minutes >= 0),
    status article_status NOT NULL DEFAULT 'draft',
    published_at TIMESTAMPTZ,
    view_count INT NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    is_featured BOOLEAN NOT NULL DEFAULT FALSE,
    seo_title VARCHAR(200),
    seo_description TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_articles_author ON articles (author_id);
CREATE INDEX idx_articles_published ON articles (status, published_at DESC);
CREATE INDEX idx_articles_tags ON articles USING gin (tags);
-- sketch §12, accent-insensitive (to_tsvector('greek') maps Latin-script words to english_stem)
CREATE INDEX idx_article_search ON articles
    USING gin (to_tsvector('greek', f_unaccent(title || ' ' || content)));
CREATE TRIGGER trg_articles_updated_at BEFORE UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE article_interactions (
    article_id UUID REFERENCES articles(id) ON DELETE CASCADE,
    user_id UUID REFERENCES users(id) ON DELETE CASCADE,
    interaction_type article_interaction_type,
    interacted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, user_id, interaction_type)
);
CREATE INDEX idx_article_interactions_user ON article_interactions (user_id);

CREATE TABLE comments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    article_id UUID NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    parent_comment_id UUID REFERENCES comments(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    is_edited BOOLEAN NOT NULL DEFAULT FALSE,
    edited_at TIMESTAMPTZ,
    is_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    deleted_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_comments_article ON comments (article_id, created_at);
CREATE INDEX idx_comments_user ON comments (user_id);
CREATE INDEX idx_comments_parent ON comments (parent_comment_id);

CREATE TABLE forum_categories (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(200) NOT NULL,
    description TEXT,
    icon VARCHAR(50),
    sort_order INT,
    is_active BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE forum_threads (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    category_id UUID NOT NULL REFERENCES forum_categories(id) ON DELETE CASCADE,
    author_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title VARCHAR(500) NOT NULL,
    content TEXT NOT NULL,
    is_pinned BOOLEAN NOT NULL DEFAULT FALSE,
    is_locked BOOLEAN NOT NULL DEFAULT FALSE,
    view_count INT NOT NULL DEFAULT 0,
    reply_count INT NOT NULL DEFAULT 0,
    last_reply_at TIMESTAMPTZ,
    last_reply_by UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_forum_threads_category ON forum_threads (category_id, is_pinned DESC, last_reply_at DESC);
CREATE INDEX idx_forum_threads_author ON forum_threads (author_id);
CREATE TRIGGER trg_forum_threads_updated_at BEFORE UPDATE ON forum_threads
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE forum_replies (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    thread_id UUID NOT NULL REFERENCES forum_threads(id) ON DELETE CASCADE,
    author_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    is_solution BOOLEAN NOT NULL DEFAULT FALSE,
    upvotes INT NOT NULL DEFAULT 0,
    is_edited BOOLEAN NOT NULL DEFAULT FALSE,
    edited_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_forum_replies_thread ON forum_replies (thread_id, created_at);
CREATE INDEX idx_forum_replies_author ON forum_replies (author_id);

-- A client reviews the therapist of one of their completed appointments, once.
-- Only 'approved' reviews count in ratings (moderation).
CREATE TABLE reviews (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    appointment_id UUID NOT NULL UNIQUE REFERENCES appointments(id) ON DELETE CASCADE,
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rating SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT,
    is_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    status review_status NOT NULL DEFAULT 'pending',
    moderated_by UUID REFERENCES users(id) ON DELETE SET NULL,
    moderated_at TIMESTAMPTZ,
    moderation_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_reviews_therapist ON reviews (therapist_id) WHERE status = 'approved';
CREATE INDEX idx_reviews_client ON reviews (client_id);
CREATE INDEX idx_reviews_moderation ON reviews (created_at) WHERE status = 'pending';
CREATE TRIGGER trg_reviews_updated_at BEFORE UPDATE ON reviews
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE FUNCTION check_review_appointment()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    a record;
BEGIN
    SELECT client_id, therapist_id, status INTO a
      FROM appointments WHERE id = NEW.appointment_id FOR SHARE;
    IF a.client_id IS DISTINCT FROM NEW.client_id OR a.therapist_id IS DISTINCT FROM NEW.therapist_id THEN
        RAISE EXCEPTION 'review must be written by the client of appointment % about its therapist', NEW.appointment_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_review_appointment';
    END IF;
    IF a.status <> 'completed' THEN
        RAISE EXCEPTION 'appointment % is not completed (status %)', NEW.appointment_id, a.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_review_appointment';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER chk_review_appointment
    AFTER INSERT OR UPDATE OF appointment_id, client_id, therapist_id ON reviews
    DEFERRABLE INITIALLY IMMEDIATE
    FOR EACH ROW EXECUTE FUNCTION check_review_appointment();

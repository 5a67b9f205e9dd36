/**
 * The PostgreSQL twin of every schema migration in ../migrations.ts: the same list, in the same
 * order, so schema version N means the same tables, columns, indexes and triggers on both stores.
 * A new SQLite migration needs its Postgres twin here (tests/store/pg-migrations.test.ts compares
 * the two schemas and the triggers' behaviour).
 *
 * Each entry is run as one simple query (several statements) inside a transaction. The store's
 * own SQL is shared with SQLite and translated mechanically, so these tables keep SQLite's shape:
 * - every INTEGER is `bigint`, 0/1 flags included (the shared code binds and compares numbers);
 *   REAL is `double precision`; TEXT stays `text` (ISO times compare as strings);
 * - a rowid the database gives (`posts.id`, `events.id`…) is an identity column, BY DEFAULT so a
 *   given id is still accepted; an id the code gives (`places.id`, a GeoNames id) is plain;
 * - `COLLATE NOCASE` is `citext`, so `name = $1` stays case-insensitive;
 * - `WITHOUT ROWID` has no meaning here and is dropped; index names are SQLite's;
 * - each trigger is a plpgsql function of the same name, its `WHEN EXISTS (…)` moved into the
 *   body (Postgres allows no subquery in a trigger's WHEN).
 * Migration 1 also creates what the shared SQL calls and Postgres lacks: `instr`, the aggregate
 * `json_group_array` (a JSON text like SQLite's) and `fto_now()` (strftime('%Y-%m-%dT%H:%M:%fZ')).
 */

// Steps of migration 10's filter triggers, shared by the tag and the edit triggers. SQLite fires
// the newest trigger first (filter_hold_on_* before filter_hide_on_*), Postgres fires them by
// name (filter_hide_on_* first): so the hide trigger runs the hold step before its own, and the
// hold step, run again by filter_hold_on_*, finds nothing left to do. A post a hold and a hide
// filter both match is held, as in SQLite.
const filterSteps = `
  -- The domain part of an acct as SQLite's substr(acct, instr(acct, '@') + 1): the whole acct when
  -- it has no '@' (a DID), which split_part would make ''.
  CREATE FUNCTION fto_acct_domain(acct text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(substr(acct, strpos(acct, '@') + 1)) $$;

  -- A campaign's hold filters and pre-moderation, for a post just tagged (filter_hold_on_tag).
  CREATE FUNCTION fto_hold_on_tag(p_post_id bigint, p_tag text) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT (EXISTS (SELECT 1 FROM filters WHERE tag = p_tag AND action = 'hold')
        OR EXISTS (SELECT 1 FROM campaign_settings WHERE tag = p_tag AND premoderation = 1)) THEN
      RETURN;
    END IF;
    INSERT INTO held_posts (post_id, tag, acct, reason, created_at)
      SELECT p.id, p_tag, p.acct, f.kind || ': ' || f.value, fto_now()
      FROM posts p JOIN filters f ON f.tag = p_tag AND f.action = 'hold'
      WHERE p.id = p_post_id AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = p.id)
        AND ((f.kind = 'word' AND strpos(lower(p.content || ' ' || p.spoiler_text), f.value) > 0)
          OR (f.kind = 'domain' AND (fto_acct_domain(p.acct) = f.value
            OR fto_acct_domain(p.acct) ILIKE '%.' || f.value ESCAPE '')))
      ORDER BY f.kind, f.value
      LIMIT 1
      ON CONFLICT DO NOTHING;
    INSERT INTO held_posts (post_id, tag, acct, reason, created_at)
      SELECT p.id, p_tag, p.acct, 'pre-moderation', fto_now()
      FROM posts p JOIN campaign_settings c ON c.tag = p_tag AND c.premoderation = 1
      WHERE p.id = p_post_id AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM approved_accounts a WHERE a.tag = p_tag AND a.acct = p.acct)
      ON CONFLICT DO NOTHING;
    INSERT INTO hidden_posts (post_id, created_at)
      SELECT post_id, created_at FROM held_posts WHERE post_id = p_post_id
      ON CONFLICT DO NOTHING;
  END $$;

  -- A campaign's hide filters, for a post just tagged (filter_hide_on_tag): hidden, and said in the audit log.
  CREATE FUNCTION fto_hide_on_tag(p_post_id bigint, p_tag text) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM filters WHERE tag = p_tag AND action = 'hide') THEN
      RETURN;
    END IF;
    INSERT INTO audit_log (at, actor, action, target, detail, note)
      SELECT fto_now(), 'filter', 'post.hide', p.uri,
        fto_json_object('campaign', f.tag, f.kind, f.value), NULL
      FROM posts p JOIN filters f ON f.tag = p_tag AND f.action = 'hide'
      WHERE p.id = p_post_id AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = p.id)
        AND ((f.kind = 'word' AND strpos(lower(p.content || ' ' || p.spoiler_text), f.value) > 0)
          OR (f.kind = 'domain' AND (fto_acct_domain(p.acct) = f.value
            OR fto_acct_domain(p.acct) ILIKE '%.' || f.value ESCAPE '')))
      ORDER BY f.kind, f.value
      LIMIT 1;
    IF FOUND THEN
      INSERT INTO hidden_posts (post_id, created_at) VALUES (p_post_id, fto_now())
        ON CONFLICT DO NOTHING;
    END IF;
  END $$;

  -- SQLite's WHEN of the edit triggers: word filters exist, the post is not deleted nor hidden.
  CREATE FUNCTION fto_edit_may_filter(p_id bigint, p_deleted_at text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT EXISTS (SELECT 1 FROM filters WHERE kind = 'word') AND p_deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = p_id) $$;

  -- Hold filters for an edited post's words (filter_hold_on_edit); p_text is lower(content || ' ' || spoiler_text).
  CREATE FUNCTION fto_hold_on_edit(p_id bigint, p_deleted_at text, p_acct text, p_text text)
    RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT fto_edit_may_filter(p_id, p_deleted_at) THEN
      RETURN;
    END IF;
    INSERT INTO held_posts (post_id, tag, acct, reason, created_at)
      SELECT p_id, t.tag, p_acct, 'word: ' || f.value, fto_now()
      FROM post_tags t JOIN filters f ON f.tag = t.tag AND f.action = 'hold' AND f.kind = 'word'
      WHERE t.post_id = p_id AND strpos(p_text, f.value) > 0
      ORDER BY t.tag, f.kind, f.value
      LIMIT 1
      ON CONFLICT DO NOTHING;
    INSERT INTO hidden_posts (post_id, created_at)
      SELECT post_id, created_at FROM held_posts WHERE post_id = p_id
      ON CONFLICT DO NOTHING;
  END $$;

  -- Hide filters for an edited post's words (filter_hide_on_edit).
  CREATE FUNCTION fto_hide_on_edit(p_id bigint, p_deleted_at text, p_uri text, p_text text)
    RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    IF NOT fto_edit_may_filter(p_id, p_deleted_at) THEN
      RETURN;
    END IF;
    INSERT INTO audit_log (at, actor, action, target, detail, note)
      SELECT fto_now(), 'filter', 'post.hide', p_uri,
        fto_json_object('campaign', f.tag, f.kind, f.value), 'edited'
      FROM post_tags t JOIN filters f ON f.tag = t.tag AND f.action = 'hide' AND f.kind = 'word'
      WHERE t.post_id = p_id AND strpos(p_text, f.value) > 0
      ORDER BY t.tag, f.kind, f.value
      LIMIT 1;
    IF FOUND THEN
      INSERT INTO hidden_posts (post_id, created_at) VALUES (p_id, fto_now())
        ON CONFLICT DO NOTHING;
    END IF;
  END $$;`;

export const pgMigrations: string[] = [
  // 1: the foundation schema, and what the shared SQL needs that Postgres lacks.
  `
  CREATE EXTENSION IF NOT EXISTS citext;

  -- strftime('%Y-%m-%dT%H:%M:%fZ', 'now'): UTC with milliseconds, fixed for one statement as in SQLite.
  CREATE OR REPLACE FUNCTION fto_now() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

  -- SQLite's instr(haystack, needle): 1-based position of the first match, 0 when none.
  CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT strpos($1, $2) $$;

  -- SQLite's json_object(k1, v1, k2, v2…) for text values, as compact as SQLite writes it.
  CREATE OR REPLACE FUNCTION fto_json_object(VARIADIC kv text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '{' || coalesce(string_agg(to_json(kv[i])::text || ':'
        || coalesce(to_json(kv[i + 1])::text, 'null'), ',' ORDER BY i), '') || '}'
      FROM generate_series(1, coalesce(array_length(kv, 1), 0), 2) AS i $$;

  -- SQLite's json_group_array(x): the values as a JSON array in text, '[]' for none, NULL as null.
  CREATE OR REPLACE FUNCTION fto_json_group_array_step(state text[], value anyelement) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT array_append(state, coalesce(to_json(value)::text, 'null')) $$;
  CREATE OR REPLACE FUNCTION fto_json_group_array_final(state text[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT '[' || array_to_string(state, ',') || ']' $$;
  CREATE OR REPLACE AGGREGATE json_group_array(anyelement) (
    SFUNC = fto_json_group_array_step,
    STYPE = text[],
    FINALFUNC = fto_json_group_array_final,
    INITCOND = '{}'
  );

  CREATE TABLE campaigns (
    tag text PRIMARY KEY,
    created_at text NOT NULL
  );
  CREATE TABLE accounts (
    acct text PRIMARY KEY,
    display_name text NOT NULL,
    url text NOT NULL,
    avatar text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE TABLE places (
    id bigint PRIMARY KEY,                -- GeoNames id, given by the gazetteer
    name text NOT NULL,
    admin1 text,
    country text NOT NULL,
    lat double precision NOT NULL,
    lng double precision NOT NULL,
    population bigint NOT NULL
  );
  CREATE TABLE posts (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    uri text NOT NULL UNIQUE,
    acct text NOT NULL REFERENCES accounts(acct),
    url text NOT NULL,
    content text NOT NULL,
    created_at text NOT NULL,
    edited_at text,
    language text,
    place_id bigint REFERENCES places(id),
    confidence double precision,
    matched text,
    deleted_at text,
    first_seen_at text NOT NULL
  );
  CREATE INDEX posts_by_acct ON posts(acct, created_at);
  CREATE TABLE post_tags (
    tag text NOT NULL,
    post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (tag, post_id)
  );
  CREATE INDEX post_tags_by_post ON post_tags(post_id);
  CREATE TABLE post_sources (
    source text NOT NULL,
    local_id text NOT NULL,
    post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (source, local_id)
  );
  CREATE INDEX post_sources_by_post ON post_sources(post_id);
  CREATE TABLE contributors (
    tag text NOT NULL,
    acct text NOT NULL REFERENCES accounts(acct),
    post_id bigint NOT NULL REFERENCES posts(id),
    place_id bigint NOT NULL REFERENCES places(id),
    joined_at text NOT NULL,
    updated_at text NOT NULL,
    PRIMARY KEY (tag, acct)
  );
  CREATE INDEX contributors_by_place ON contributors(tag, place_id);
  CREATE TABLE cursors (
    source text NOT NULL,
    tag text NOT NULL,
    newest_id text,
    oldest_id text,
    backfill_count bigint NOT NULL DEFAULT 0,
    backfill_done bigint NOT NULL DEFAULT 0,
    updated_at text NOT NULL,
    PRIMARY KEY (source, tag)
  );
  CREATE TABLE events (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, -- a sequence never gives an id twice, as AUTOINCREMENT
    tag text NOT NULL,
    type text NOT NULL,
    data text NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX events_by_tag ON events(tag, id);
  `,
  // 2: moderation, and the indexes a million contributors need.
  `
  CREATE TABLE hidden_accounts (
    acct text PRIMARY KEY,
    blocked bigint NOT NULL DEFAULT 0,
    created_at text NOT NULL
  );
  CREATE TABLE hidden_posts (
    post_id bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    created_at text NOT NULL
  );
  CREATE TABLE blocked_domains (
    domain text PRIMARY KEY,
    created_at text NOT NULL
  );
  CREATE TABLE place_fixes (
    post_id bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    place_id bigint NOT NULL REFERENCES places(id),
    created_at text NOT NULL
  );
  DROP INDEX contributors_by_place;
  CREATE INDEX contributors_by_place ON contributors(tag, place_id, joined_at, acct);
  CREATE INDEX contributors_by_joined ON contributors(tag, joined_at);
  CREATE INDEX unlocated_posts ON posts(id) WHERE place_id IS NULL AND deleted_at IS NULL;
  `,
  // 3: custom emoji in display names.
  `
  ALTER TABLE accounts ADD COLUMN emojis text NOT NULL DEFAULT '[]';
  `,
  // 4: the delete re-check's cursor per instance.
  `
  CREATE TABLE recheck_cursors (
    source text PRIMARY KEY,
    after_post_id bigint NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX post_sources_by_source_post ON post_sources(source, post_id);
  `,
  // 5: content warnings.
  `
  ALTER TABLE posts ADD COLUMN spoiler_text text NOT NULL DEFAULT '';
  ALTER TABLE posts ADD COLUMN sensitive bigint NOT NULL DEFAULT 0;
  `,
  // 6: reach: each post's first source, and per-source counts (fillReachCounts in Postgres SQL:
  // a subquery in FROM needs an alias before PostgreSQL 16).
  `
  ALTER TABLE posts ADD COLUMN first_source text;
  UPDATE posts SET first_source = s.source
  FROM (SELECT post_id, min(source) AS source FROM post_sources GROUP BY post_id HAVING count(DISTINCT source) = 1) AS s
  WHERE s.post_id = posts.id;
  CREATE TABLE reach_counts (
    source text PRIMARY KEY,
    posts_first bigint NOT NULL DEFAULT 0,
    posts_only bigint NOT NULL DEFAULT 0
  );
  INSERT INTO reach_counts (source, posts_first)
    SELECT coalesce(first_source, ''), count(*) FROM posts GROUP BY first_source;
  INSERT INTO reach_counts (source, posts_only)
    SELECT source, count(*) FROM (
      SELECT min(source) AS source FROM post_sources GROUP BY post_id HAVING count(DISTINCT source) = 1
    ) AS only_one GROUP BY source
    ON CONFLICT (source) DO UPDATE SET posts_only = excluded.posts_only;
  `,
  // 7: consent asked of each author's home server, and the posts waiting for its answer.
  `
  CREATE TABLE consent (
    acct text PRIMARY KEY,
    home text NOT NULL,
    state text NOT NULL,
    reason text,
    profile_url text NOT NULL DEFAULT '',
    first_seen_at bigint NOT NULL,
    checked_at bigint,
    next_check_at bigint NOT NULL,
    failures bigint NOT NULL DEFAULT 0,
    last_error text
  );
  CREATE INDEX consent_due ON consent(next_check_at);
  CREATE INDEX consent_by_home ON consent(home, next_check_at);
  CREATE TABLE consent_pending (
    uri text NOT NULL,
    source text NOT NULL,
    acct text NOT NULL,
    local_id text NOT NULL,
    item text NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (uri, source)
  );
  CREATE INDEX consent_pending_by_acct ON consent_pending(acct);
  CREATE INDEX consent_pending_by_local ON consent_pending(source, local_id);
  `,
  // 8: the online geocoder's answer cache and its waiting posts (no geocoder ever made these on
  // Postgres before this migration, so no IF NOT EXISTS).
  `
  CREATE TABLE geocode_cache (
    query text PRIMARY KEY,
    server text NOT NULL,
    answer text,
    fetched_at bigint NOT NULL
  );
  CREATE TABLE geocode_queue (
    uri text PRIMARY KEY,
    input text NOT NULL,
    queued_at text NOT NULL
  );
  `,
  // 9: moderator accounts, sessions, API tokens, the audit log.
  `
  CREATE TABLE moderators (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name citext NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('owner', 'moderator')),
    password_hash text,
    created_at text NOT NULL,
    revoked_at text
  );
  CREATE TABLE sign_in_links (
    token_hash text PRIMARY KEY,
    moderator_id bigint NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    expires_at bigint NOT NULL
  );
  CREATE TABLE sessions (
    id_hash text PRIMARY KEY,
    moderator_id bigint NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    csrf text NOT NULL,
    created_at bigint NOT NULL,
    seen_at bigint NOT NULL,
    expires_at bigint NOT NULL
  );
  CREATE INDEX sessions_by_moderator ON sessions(moderator_id);
  CREATE TABLE api_tokens (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name citext NOT NULL UNIQUE,
    token_hash text NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('owner', 'moderator')),
    moderator_id bigint REFERENCES moderators(id) ON DELETE CASCADE,
    created_at text NOT NULL,
    last_used_at text,
    revoked_at text
  );
  CREATE TABLE audit_log (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    detail text,
    note text
  );
  CREATE FUNCTION audit_log_append_only_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
  END $$;
  CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only_update();
  CREATE FUNCTION audit_log_append_only_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
  END $$;
  CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only_delete();
  `,
  // 10: the review queue, reports, campaign filters and pre-moderation, held and filtered by
  // triggers inside the ingest transaction as in SQLite.
  `
  CREATE TABLE queue_settings (
    key text PRIMARY KEY,
    value text NOT NULL
  );
  INSERT INTO queue_settings (key, value)
    VALUES ('starts_after_post_id', (SELECT coalesce(max(id), 0)::text FROM posts));
  CREATE TABLE post_reviews (
    post_id bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    state text NOT NULL,
    reviewed_by text NOT NULL,
    reviewed_at text NOT NULL
  );
  CREATE TABLE reports (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    tag text NOT NULL,
    acct text NOT NULL,
    post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    reason text NOT NULL DEFAULT '',
    created_at text NOT NULL,
    resolved_at text
  );
  CREATE INDEX reports_open ON reports(post_id) WHERE resolved_at IS NULL;
  CREATE TABLE campaign_settings (
    tag text PRIMARY KEY,
    premoderation bigint NOT NULL DEFAULT 0,
    updated_at text NOT NULL
  );
  CREATE TABLE approved_accounts (
    tag text NOT NULL,
    acct text NOT NULL,
    approved_at text NOT NULL,
    PRIMARY KEY (tag, acct)
  );
  CREATE TABLE filters (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    tag text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('word', 'domain')),
    value text NOT NULL,
    action text NOT NULL CHECK (action IN ('hide', 'hold')),
    created_by text NOT NULL,
    created_at text NOT NULL,
    UNIQUE (tag, kind, value)
  );
  CREATE TABLE held_posts (
    post_id bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    tag text NOT NULL,
    acct text NOT NULL,
    reason text NOT NULL,
    created_at text NOT NULL
  );
  CREATE INDEX held_by_tag ON held_posts(tag, acct);

  CREATE FUNCTION unhide_releases_hold() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM held_posts WHERE post_id = OLD.post_id;
    RETURN NULL;
  END $$;
  CREATE TRIGGER unhide_releases_hold AFTER DELETE ON hidden_posts
    FOR EACH ROW EXECUTE FUNCTION unhide_releases_hold();

  -- RAISE(IGNORE) in a BEFORE INSERT: the row, and an upsert's update with it, is skipped.
  CREATE FUNCTION contributors_skip_hidden() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = NEW.post_id) THEN
      RETURN NULL;
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER contributors_skip_hidden BEFORE INSERT ON contributors
    FOR EACH ROW EXECUTE FUNCTION contributors_skip_hidden();
  ${filterSteps}

  CREATE FUNCTION filter_hide_on_tag() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM fto_hold_on_tag(NEW.post_id, NEW.tag); -- SQLite's order: see fto_hold_on_tag
    PERFORM fto_hide_on_tag(NEW.post_id, NEW.tag);
    RETURN NULL;
  END $$;
  CREATE TRIGGER filter_hide_on_tag AFTER INSERT ON post_tags
    FOR EACH ROW EXECUTE FUNCTION filter_hide_on_tag();
  CREATE FUNCTION filter_hold_on_tag() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM fto_hold_on_tag(NEW.post_id, NEW.tag);
    RETURN NULL;
  END $$;
  CREATE TRIGGER filter_hold_on_tag AFTER INSERT ON post_tags
    FOR EACH ROW EXECUTE FUNCTION filter_hold_on_tag();

  CREATE FUNCTION filter_hide_on_edit() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM fto_hold_on_edit(NEW.id, NEW.deleted_at, NEW.acct, lower(NEW.content || ' ' || NEW.spoiler_text));
    PERFORM fto_hide_on_edit(NEW.id, NEW.deleted_at, NEW.uri, lower(NEW.content || ' ' || NEW.spoiler_text));
    RETURN NULL;
  END $$;
  CREATE TRIGGER filter_hide_on_edit AFTER UPDATE OF content, spoiler_text ON posts
    FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION filter_hide_on_edit();
  CREATE FUNCTION filter_hold_on_edit() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM fto_hold_on_edit(NEW.id, NEW.deleted_at, NEW.acct, lower(NEW.content || ' ' || NEW.spoiler_text));
    RETURN NULL;
  END $$;
  CREATE TRIGGER filter_hold_on_edit AFTER UPDATE OF content, spoiler_text ON posts
    FOR EACH ROW WHEN (NEW.deleted_at IS NULL) EXECUTE FUNCTION filter_hold_on_edit();
  `,
  // 11: each Bluesky author's handle as the AppView last read it.
  `
  CREATE TABLE bluesky_handles (
    did text PRIMARY KEY,
    handle text NOT NULL,
    updated_at text NOT NULL
  );
  CREATE INDEX bluesky_handles_by_time ON bluesky_handles(updated_at);
  `,
  // 12: linked accounts (#16).
  `
  CREATE TABLE account_names (
    acct text NOT NULL,
    claim bigint NOT NULL,
    key text NOT NULL,
    PRIMARY KEY (acct, claim, key)
  );
  CREATE INDEX account_names_by_key ON account_names(key, claim);
  CREATE TABLE account_links (
    fediverse text NOT NULL,
    bluesky text NOT NULL,
    PRIMARY KEY (fediverse, bluesky)
  );
  CREATE INDEX account_links_by_bluesky ON account_links(bluesky);
  ALTER TABLE contributors ADD COLUMN linked_acct text;
  CREATE INDEX contributors_by_linked ON contributors(linked_acct, tag) WHERE linked_acct IS NOT NULL;
  `,
  // 13: several processes on one database: the move each event records, leases, the moderation version.
  `
  ALTER TABLE events ADD COLUMN move text;
  CREATE TABLE leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    expires_at bigint NOT NULL,
    detail text
  );
  CREATE TABLE moderation_version (
    id bigint PRIMARY KEY,                -- always 1, given by the insert below
    n bigint NOT NULL
  );
  INSERT INTO moderation_version (id, n) VALUES (1, 0);
  `,
  // 14: the largest event id pruning has deleted, for the change feed to tell a loss from a gap.
  `
  CREATE TABLE events_pruned (
    id bigint PRIMARY KEY,                -- always 1, given by the insert below
    through_id bigint NOT NULL
  );
  INSERT INTO events_pruned (id, through_id) VALUES (1, 0);
  `,
  // 15: why each post has its place or has none (the locator's reason, a moderator, the geocoder).
  `
  ALTER TABLE posts ADD COLUMN locate_reason text;
  `,
];

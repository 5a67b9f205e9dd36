/**
 * Schema migrations, applied in order and tracked with PRAGMA user_version.
 * Never edit a shipped migration: add a new one, so every existing database can follow.
 * A new SQLite migration needs its Postgres twin in pg/migrations.ts (same position, same
 * tables, indexes and triggers; tests/store/pg-migrations.test.ts compares the two).
 */
/**
 * Fills reach_counts from the posts already stored (migration 6 for an existing database; the
 * million-post bench fixture, which writes its rows below ingest, the same way). Part of a shipped
 * migration: never edit it.
 */
export const fillReachCounts = `
  INSERT INTO reach_counts (source, posts_first)
    SELECT coalesce(first_source, ''), count(*) FROM posts GROUP BY first_source;
  INSERT INTO reach_counts (source, posts_only)
    SELECT source, count(*) FROM (
      SELECT min(source) AS source FROM post_sources GROUP BY post_id HAVING count(DISTINCT source) = 1
    ) WHERE true GROUP BY source
    ON CONFLICT (source) DO UPDATE SET posts_only = excluded.posts_only;`;

export const migrations: string[] = [
  // 1: the foundation schema.
  `
  CREATE TABLE campaigns (
    tag TEXT PRIMARY KEY,                 -- lower case, without '#'
    created_at TEXT NOT NULL
  );
  CREATE TABLE accounts (
    acct TEXT PRIMARY KEY,                -- always user@domain
    display_name TEXT NOT NULL,
    url TEXT NOT NULL,
    avatar TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE places (
    id INTEGER PRIMARY KEY,               -- GeoNames id
    name TEXT NOT NULL,
    admin1 TEXT,
    country TEXT NOT NULL,
    lat REAL NOT NULL,
    lng REAL NOT NULL,
    population INTEGER NOT NULL
  );
  CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    uri TEXT NOT NULL UNIQUE,             -- the same on every instance: the dedup key
    acct TEXT NOT NULL REFERENCES accounts(acct),
    url TEXT NOT NULL,
    content TEXT NOT NULL,                -- sanitised HTML
    created_at TEXT NOT NULL,
    edited_at TEXT,
    language TEXT,
    place_id INTEGER REFERENCES places(id),
    confidence REAL,
    matched TEXT,
    deleted_at TEXT,
    first_seen_at TEXT NOT NULL
  );
  CREATE INDEX posts_by_acct ON posts(acct, created_at);
  CREATE TABLE post_tags (
    tag TEXT NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (tag, post_id)
  ) WITHOUT ROWID;
  CREATE INDEX post_tags_by_post ON post_tags(post_id);
  CREATE TABLE post_sources (
    source TEXT NOT NULL,                 -- instance origin
    local_id TEXT NOT NULL,               -- that instance's id for the post: only a cursor and a delete key
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (source, local_id)
  ) WITHOUT ROWID;
  CREATE INDEX post_sources_by_post ON post_sources(post_id);
  CREATE TABLE contributors (
    tag TEXT NOT NULL,
    acct TEXT NOT NULL REFERENCES accounts(acct),
    post_id INTEGER NOT NULL REFERENCES posts(id),
    place_id INTEGER NOT NULL REFERENCES places(id),
    joined_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tag, acct)
  ) WITHOUT ROWID;
  CREATE INDEX contributors_by_place ON contributors(tag, place_id);
  CREATE TABLE cursors (
    source TEXT NOT NULL,
    tag TEXT NOT NULL,
    newest_id TEXT,                       -- min_id for the next forward poll
    oldest_id TEXT,                       -- max_id for the next backfill page
    backfill_count INTEGER NOT NULL DEFAULT 0,
    backfill_done INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source, tag)
  ) WITHOUT ROWID;
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- the SSE event id; AUTOINCREMENT so ids never repeat after pruning
    tag TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX events_by_tag ON events(tag, id);
  `,
  // 2: moderation, and the indexes a million contributors need.
  `
  CREATE TABLE hidden_accounts (
    acct TEXT PRIMARY KEY,                -- user@domain; off every map, future posts dropped
    blocked INTEGER NOT NULL DEFAULT 0,   -- 1: their stored posts were deleted too
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE hidden_posts (
    post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
  );
  CREATE TABLE blocked_domains (
    domain TEXT PRIMARY KEY,              -- lower case; every account @domain is off the map
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE place_fixes (
    post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    place_id INTEGER NOT NULL REFERENCES places(id), -- set by hand: wins over the locator, also after an edit
    created_at TEXT NOT NULL
  );
  -- One city's people newest first, and the per-city counts, from the index alone.
  DROP INDEX contributors_by_place;
  CREATE INDEX contributors_by_place ON contributors(tag, place_id, joined_at, acct);
  CREATE INDEX contributors_by_joined ON contributors(tag, joined_at);
  CREATE INDEX unlocated_posts ON posts(id) WHERE place_id IS NULL AND deleted_at IS NULL;
  `,
  // 3: custom emoji in display names (JSON array of {shortcode, url}).
  `
  ALTER TABLE accounts ADD COLUMN emojis TEXT NOT NULL DEFAULT '[]';
  `,
  // 4: how far the delete re-check of each instance has come, so a restart continues its round.
  `
  CREATE TABLE recheck_cursors (
    source TEXT PRIMARY KEY,              -- instance origin
    after_post_id INTEGER NOT NULL,       -- posts.id the round continues after; 0 = the next round starts over
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  -- The re-check reads a source's posts in row order from its cursor: an index range, not every row of the source.
  CREATE INDEX post_sources_by_source_post ON post_sources(source, post_id);
  `,
  // 5: content warnings. The text behind one is served only when a reader asks (docs/api.md).
  `
  ALTER TABLE posts ADD COLUMN spoiler_text TEXT NOT NULL DEFAULT ''; -- Mastodon spoiler_text, plain text
  ALTER TABLE posts ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;  -- Mastodon sensitive: 1 hides the text too
  `,
  // 6: reach: the source that delivered each post first, and per-source counts kept up by ingest.
  `
  ALTER TABLE posts ADD COLUMN first_source TEXT; -- instance origin, relay or aggregator URL; NULL: stored before this column and seen by several sources
  -- A post one source gave us was first from that source; with several, which came first was never recorded.
  UPDATE posts SET first_source = s.source
  FROM (SELECT post_id, min(source) AS source FROM post_sources GROUP BY post_id HAVING count(DISTINCT source) = 1) AS s
  WHERE s.post_id = posts.id;
  -- Counting these on request takes ~0.9 s at a million posts, on the event loop: ingest keeps them instead.
  CREATE TABLE reach_counts (
    source TEXT PRIMARY KEY,              -- as in post_sources; '' counts the posts whose first source is unknown
    posts_first INTEGER NOT NULL DEFAULT 0, -- posts it delivered before any other source
    posts_only INTEGER NOT NULL DEFAULT 0 -- posts no other source delivered
  ) WITHOUT ROWID;
  ${fillReachCounts}
  `,
  // 7: consent asked of each author's home server, and the posts that wait for its answer (docs/consent.md).
  `
  CREATE TABLE consent (
    acct TEXT PRIMARY KEY,                -- user@domain
    home TEXT NOT NULL,                   -- the domain part of acct: each home has its own pace and backoff
    state TEXT NOT NULL,                  -- 'known' (may be shown), 'refused', 'unknown' (waiting for the home)
    reason TEXT,                          -- how it was decided: 'home-copy', 'lookup', 'profile-page', 'unreachable', or the refusal
    profile_url TEXT NOT NULL DEFAULT '', -- the account's url as a source served it: a host other than the domain is a split domain
    first_seen_at INTEGER NOT NULL,       -- ms; the unreachable window counts from here
    checked_at INTEGER,                   -- ms of the home's last answer, NULL before the first
    next_check_at INTEGER NOT NULL,       -- ms; the TTL re-check, or the next try after a failure
    failures INTEGER NOT NULL DEFAULT 0,  -- failed tries in a row
    last_error TEXT
  ) WITHOUT ROWID;
  CREATE INDEX consent_due ON consent(next_check_at);
  CREATE INDEX consent_by_home ON consent(home, next_check_at);
  CREATE TABLE consent_pending (
    uri TEXT NOT NULL,
    source TEXT NOT NULL,                 -- as in post_sources
    acct TEXT NOT NULL,
    local_id TEXT NOT NULL,               -- the source's id, so a delete of a waiting post is honoured
    item TEXT NOT NULL,                   -- the IngestItem as JSON, saved as it would have been
    received_at INTEGER NOT NULL,         -- ms
    PRIMARY KEY (uri, source)
  ) WITHOUT ROWID;
  CREATE INDEX consent_pending_by_acct ON consent_pending(acct);
  CREATE INDEX consent_pending_by_local ON consent_pending(source, local_id);
  `,
  // 8: the online geocoder's answer cache and its waiting posts (server/geo/fallback.ts and
  // fallback-queue.ts read and write them). Databases from before this migration may have them
  // already, created by the geocoder itself: hence IF NOT EXISTS.
  `
  CREATE TABLE IF NOT EXISTS geocode_cache (
    query TEXT PRIMARY KEY,               -- the place phrase, folded (geo/fold.ts)
    server TEXT NOT NULL,                 -- the Nominatim base URL that answered
    answer TEXT,                          -- the Place as JSON; 'null' when it knew none (a miss is asked once)
    fetched_at INTEGER NOT NULL           -- ms
  );
  CREATE TABLE IF NOT EXISTS geocode_queue (
    uri TEXT PRIMARY KEY,                 -- a post the gazetteer could not place
    input TEXT NOT NULL,                  -- the LocateInput as JSON
    queued_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 9: moderator accounts, sessions, API tokens, the audit log (docs/moderation.md).
  `
  CREATE TABLE moderators (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE, -- what the audit log says
    role TEXT NOT NULL CHECK (role IN ('owner', 'moderator')), -- owners also manage moderators, tokens and settings
    password_hash TEXT,                   -- 'scrypt$N$r$p$salt$hash' (base64url); NULL: signs in by link only
    created_at TEXT NOT NULL,
    revoked_at TEXT                       -- set: no sign-in, session or token of theirs works
  );
  CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,          -- sha256 of the one-time secret (base64url); the secret itself is never stored
    moderator_id INTEGER NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL           -- ms
  ) WITHOUT ROWID;
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,             -- sha256 of the cookie's value: a stolen database opens no session
    moderator_id INTEGER NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,                   -- sent back in X-CSRF-Token on every write
    created_at INTEGER NOT NULL,          -- ms
    seen_at INTEGER NOT NULL,             -- ms; idle sessions expire
    expires_at INTEGER NOT NULL           -- ms; absolute limit
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_moderator ON sessions(moderator_id);
  CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE, -- what the audit log says, e.g. 'nightly-script'
    token_hash TEXT NOT NULL UNIQUE,      -- sha256 of the secret (base64url)
    role TEXT NOT NULL CHECK (role IN ('owner', 'moderator')),
    moderator_id INTEGER REFERENCES moderators(id) ON DELETE CASCADE, -- whose token: revoking them revokes it
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  -- Append-only: nothing in the program deletes or updates a row (docs/moderation.md, "Audit log").
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,                     -- ISO time
    actor TEXT NOT NULL,                  -- moderator name, 'token:NAME', 'FTO_ADMIN_TOKEN', 'cli' or 'visitor'
    action TEXT NOT NULL,                 -- e.g. 'account.hide', 'domain.block', 'post.place', 'moderator.add'
    target TEXT NOT NULL,                 -- the account, domain, post uri, moderator or token name
    detail TEXT,                          -- JSON with what else the action needed (place id, role…)
    note TEXT                             -- the moderator's "why", optional
  );
  CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  // 10: the review queue, reports, campaign filters and pre-moderation.
  // Holding and filtering happen in triggers, inside the ingest transaction, so a held or filtered
  // post never reaches a map, not even for a moment, and the ingest code needs no change.
  `
  CREATE TABLE queue_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  -- Posts stored before the queue existed are not "new arrivals": the queue starts after them.
  INSERT INTO queue_settings (key, value) VALUES ('starts_after_post_id', (SELECT coalesce(max(id), 0) FROM posts));
  CREATE TABLE post_reviews (
    post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    state TEXT NOT NULL,                  -- 'approved': a moderator looked and let it be
    reviewed_by TEXT NOT NULL,            -- as the audit log's actor
    reviewed_at TEXT NOT NULL
  );
  CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    tag TEXT NOT NULL,
    acct TEXT NOT NULL,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE, -- the post that put them on that map
    reason TEXT NOT NULL DEFAULT '',      -- the visitor's words, plain text
    created_at TEXT NOT NULL,
    resolved_at TEXT                      -- set when a moderator approved or hid the post
  );
  CREATE INDEX reports_open ON reports(post_id) WHERE resolved_at IS NULL;
  CREATE TABLE campaign_settings (
    tag TEXT PRIMARY KEY,
    premoderation INTEGER NOT NULL DEFAULT 0, -- 1: nobody new is shown until a moderator approves them
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE approved_accounts (
    tag TEXT NOT NULL,
    acct TEXT NOT NULL,                   -- approved once, their later posts need no review (pre-moderation)
    approved_at TEXT NOT NULL,
    PRIMARY KEY (tag, acct)
  ) WITHOUT ROWID;
  CREATE TABLE filters (
    id INTEGER PRIMARY KEY,
    tag TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('word', 'domain')),
    value TEXT NOT NULL,                  -- lower case; a word matches anywhere in the text, a domain and its subdomains
    action TEXT NOT NULL CHECK (action IN ('hide', 'hold')), -- hide at once, or hold for the queue
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (tag, kind, value)
  );
  -- Held posts are hidden posts waiting for a moderator: approving unhides them.
  CREATE TABLE held_posts (
    post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    acct TEXT NOT NULL,
    reason TEXT NOT NULL,                 -- 'pre-moderation', or the filter: 'word: casino'
    created_at TEXT NOT NULL
  );
  CREATE INDEX held_by_tag ON held_posts(tag, acct);
  -- Unhidden by any route (the queue's approve, the Hidden list's unhide): no longer held.
  CREATE TRIGGER unhide_releases_hold AFTER DELETE ON hidden_posts
    BEGIN DELETE FROM held_posts WHERE post_id = OLD.post_id; END;
  -- A contributor row never points at a hidden post: this makes the ingest's "new person, new
  -- post" shortcut fall back to its full look-up, which leaves hidden posts out.
  CREATE TRIGGER contributors_skip_hidden BEFORE INSERT ON contributors
    WHEN EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = NEW.post_id)
    BEGIN SELECT RAISE(IGNORE); END;

  -- The WHEN clauses keep a campaign without filters or pre-moderation at one index probe per post.
  CREATE TRIGGER filter_hide_on_tag AFTER INSERT ON post_tags
    WHEN EXISTS (SELECT 1 FROM filters WHERE tag = NEW.tag AND action = 'hide')
  BEGIN
    INSERT INTO audit_log (at, actor, action, target, detail, note)
      SELECT strftime('%Y-%m-%dT%H:%M:%fZ'), 'filter', 'post.hide', p.uri,
        json_object('campaign', f.tag, f.kind, f.value), NULL
      FROM posts p JOIN filters f ON f.tag = NEW.tag AND f.action = 'hide'
      WHERE p.id = NEW.post_id AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = p.id)
        AND ((f.kind = 'word' AND instr(lower(p.content || ' ' || p.spoiler_text), f.value) > 0)
          OR (f.kind = 'domain' AND (lower(substr(p.acct, instr(p.acct, '@') + 1)) = f.value
            OR lower(substr(p.acct, instr(p.acct, '@') + 1)) LIKE '%.' || f.value)))
      LIMIT 1;
    INSERT OR IGNORE INTO hidden_posts (post_id, created_at)
      SELECT NEW.post_id, strftime('%Y-%m-%dT%H:%M:%fZ') WHERE changes() > 0;
  END;

  CREATE TRIGGER filter_hold_on_tag AFTER INSERT ON post_tags
    WHEN EXISTS (SELECT 1 FROM filters WHERE tag = NEW.tag AND action = 'hold')
      OR EXISTS (SELECT 1 FROM campaign_settings WHERE tag = NEW.tag AND premoderation = 1)
  BEGIN
    INSERT OR IGNORE INTO held_posts (post_id, tag, acct, reason, created_at)
      SELECT p.id, NEW.tag, p.acct, f.kind || ': ' || f.value, strftime('%Y-%m-%dT%H:%M:%fZ')
      FROM posts p JOIN filters f ON f.tag = NEW.tag AND f.action = 'hold'
      WHERE p.id = NEW.post_id AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = p.id)
        AND ((f.kind = 'word' AND instr(lower(p.content || ' ' || p.spoiler_text), f.value) > 0)
          OR (f.kind = 'domain' AND (lower(substr(p.acct, instr(p.acct, '@') + 1)) = f.value
            OR lower(substr(p.acct, instr(p.acct, '@') + 1)) LIKE '%.' || f.value)))
      LIMIT 1;
    INSERT OR IGNORE INTO held_posts (post_id, tag, acct, reason, created_at)
      SELECT p.id, NEW.tag, p.acct, 'pre-moderation', strftime('%Y-%m-%dT%H:%M:%fZ')
      FROM posts p JOIN campaign_settings c ON c.tag = NEW.tag AND c.premoderation = 1
      WHERE p.id = NEW.post_id AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM approved_accounts a WHERE a.tag = NEW.tag AND a.acct = p.acct);
    INSERT OR IGNORE INTO hidden_posts (post_id, created_at)
      SELECT post_id, created_at FROM held_posts WHERE post_id = NEW.post_id;
  END;

  -- An edit that brings in a filtered word is filtered like a new post.
  CREATE TRIGGER filter_hide_on_edit AFTER UPDATE OF content, spoiler_text ON posts
    WHEN EXISTS (SELECT 1 FROM filters WHERE kind = 'word') AND NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = NEW.id)
  BEGIN
    INSERT INTO audit_log (at, actor, action, target, detail, note)
      SELECT strftime('%Y-%m-%dT%H:%M:%fZ'), 'filter', 'post.hide', NEW.uri,
        json_object('campaign', f.tag, f.kind, f.value), 'edited'
      FROM post_tags t JOIN filters f ON f.tag = t.tag AND f.action = 'hide' AND f.kind = 'word'
      WHERE t.post_id = NEW.id AND instr(lower(NEW.content || ' ' || NEW.spoiler_text), f.value) > 0
      LIMIT 1;
    INSERT OR IGNORE INTO hidden_posts (post_id, created_at)
      SELECT NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ') WHERE changes() > 0;
  END;
  CREATE TRIGGER filter_hold_on_edit AFTER UPDATE OF content, spoiler_text ON posts
    WHEN EXISTS (SELECT 1 FROM filters WHERE kind = 'word') AND NEW.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM hidden_posts WHERE post_id = NEW.id)
  BEGIN
    INSERT OR IGNORE INTO held_posts (post_id, tag, acct, reason, created_at)
      SELECT NEW.id, t.tag, NEW.acct, 'word: ' || f.value, strftime('%Y-%m-%dT%H:%M:%fZ')
      FROM post_tags t JOIN filters f ON f.tag = t.tag AND f.action = 'hold' AND f.kind = 'word'
      WHERE t.post_id = NEW.id AND instr(lower(NEW.content || ' ' || NEW.spoiler_text), f.value) > 0
      LIMIT 1;
    INSERT OR IGNORE INTO hidden_posts (post_id, created_at)
      SELECT post_id, created_at FROM held_posts WHERE post_id = NEW.id;
  END;
  `,
  // 11: each Bluesky author's handle as the AppView last read it, so blocking a domain takes the
  // handles under it off at once (an account's acct on Bluesky is its DID, which names no domain).
  `
  CREATE TABLE bluesky_handles (
    did TEXT PRIMARY KEY,                 -- the author's acct on Bluesky
    handle TEXT NOT NULL,                 -- lower case, e.g. alice.example.com
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  -- Other processes on the database read the handles set since they last looked (moderation.ts).
  CREATE INDEX bluesky_handles_by_time ON bluesky_handles(updated_at);
  `,
  // 12: linked accounts (#16): someone whose Mastodon profile names their Bluesky account and whose
  // Bluesky description names their fediverse address is one person on the map (docs/decisions.md).
  `
  -- Each account's names (server/model/account-links.ts): the keys it is known by (claim 0) and the
  -- keys its own profile text names (claim 1). Two accounts are linked when each claims the other.
  CREATE TABLE account_names (
    acct TEXT NOT NULL,
    claim INTEGER NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (acct, claim, key)
  ) WITHOUT ROWID;
  CREATE INDEX account_names_by_key ON account_names(key, claim);
  -- The pairs whose names meet both ways, kept up as names change (one row a pair).
  CREATE TABLE account_links (
    fediverse TEXT NOT NULL,              -- user@domain
    bluesky TEXT NOT NULL,                -- the DID
    PRIMARY KEY (fediverse, bluesky)
  ) WITHOUT ROWID;
  CREATE INDEX account_links_by_bluesky ON account_links(bluesky);
  -- A linked pair on a map is one row: acct is the account whose post places them, linked_acct the other.
  ALTER TABLE contributors ADD COLUMN linked_acct TEXT;
  CREATE INDEX contributors_by_linked ON contributors(linked_acct, tag) WHERE linked_acct IS NOT NULL;
  `,
  // 13: several processes on one database (docs/architecture.md, "Several processes"). Each
  // event carries the contributor move it records, so a process that did not make the write can
  // bring its map model in line from the log alone; the lease says which process collects; the
  // moderation version says when another process hid or blocked someone.
  `
  ALTER TABLE events ADD COLUMN move TEXT; -- JSON {acct, from, to, joinedAt, paired} of a contributor who appeared, moved or left; NULL otherwise
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,                -- what is held, e.g. 'collector'
    holder TEXT NOT NULL,                 -- the process holding it: host, pid and a random part
    expires_at BIGINT NOT NULL,           -- ms since the epoch; anyone may take it after this
    detail TEXT                           -- what the holder tells the others (JSON), renewed with it
  );
  -- Moved by every change to hidden_accounts or blocked_domains, which each process keeps in
  -- memory: a process that sees it moved reads them again before its next write.
  CREATE TABLE moderation_version (
    id INTEGER PRIMARY KEY,
    n BIGINT NOT NULL
  );
  INSERT INTO moderation_version (id, n) VALUES (1, 0);
  `,
  // 14: the largest event id pruning has deleted (#18). A process following the log by id that
  // finds it past what it has read lost events it cannot replay, and reloads instead of counting
  // wrong; a gap in ids pruning did not make (a Postgres sequence's rolled-back id) is no loss.
  `
  CREATE TABLE events_pruned (
    id INTEGER PRIMARY KEY,               -- always 1, given by the insert below
    through_id BIGINT NOT NULL            -- every pruned event has an id at or below it
  );
  INSERT INTO events_pruned (id, through_id) VALUES (1, 0);
  `,
  // 15: why each post has its place or has none, in one line for the admin page (issue #14): the
  // locator's reason, or who placed it instead (a moderator, the online geocoder).
  `
  ALTER TABLE posts ADD COLUMN locate_reason TEXT; -- at most 300 characters; NULL: stored before this column, or deleted
  `,
];

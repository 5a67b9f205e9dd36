/** The `--help` text: every command, flag and variable with its default. */
export const usage = `find-the-others — a live map of a fediverse hashtag campaign

Usage:
  find-the-others serve [options]     run the server and the collector (default)
  find-the-others demo [options]      run with a built-in local demo instance (no internet needed)
  find-the-others locate              read statuses as JSON lines on stdin, write the city each names
  find-the-others build-gazetteer     (re)build data/gazetteer.db from GeoNames data in node_modules
  find-the-others backup FILE         copy the database to FILE while the server runs (SQLite online backup)

Options (each has an environment variable):
  -t, --tag TAG             campaign hashtag, repeatable        FTO_TAGS=yourturn,othertag   (yourturn)
  -i, --instance URL        instance to follow, repeatable      FTO_INSTANCES=https://a,https://b
  --db PATH                 SQLite database file                FTO_DB           (data/find-the-others.db)
  -p, --port N              HTTP port                           PORT             (3000)
  --host ADDR               listen address                      FTO_HOST         (0.0.0.0)
  --poll-interval MS        wait between polls of an instance   FTO_POLL_INTERVAL_MS (30000)
  --backfill-posts N        first start: read back N posts       FTO_BACKFILL_POSTS (2000)
  --backfill-days N         ...or N days, whichever comes first FTO_BACKFILL_DAYS  (365)
  --tiles URL|none          map tile URL template               FTO_TILE_URL     (OpenStreetMap)
  --role all|serve|collect  with several processes on one database: serve the map, collect
                            (one process at a time, by lease; /healthz only), or both  FTO_ROLE (all)
  --log-level LEVEL         fatal..trace, silent                LOG_LEVEL        (info)
  -c, --config FILE         JSON config file                    FTO_CONFIG
                            (collector part: {"instances": {"https://x": {"token": "…"}}, "relays": [], "aggregators": [], "strictConsent": false,
                             "resolve": {"host": "https://…"}, "consent": {"ttlMs", "unreachable", "unreachableAfterMs", "paceMs"}})
                            access tokens also from             FTO_TOKENS=https://a=TOKEN,https://b=TOKEN
  --relay URL               SSE firehose of public posts, repeatable  FTO_RELAYS=url,url
  --aggregator URL          tag-search service (only the tag timeline, e.g. https://fedi.buzz),
                            repeatable; never trusted for profiles     FTO_AGGREGATORS=url,url  (none)
  --strict-consent          also require discoverable !== false FTO_STRICT_CONSENT=1
  --resolve HOST=URL        where HOST is really reached (split domains, local tests), repeatable
                                                                FTO_RESOLVE=host=url,host=url
  --consent-ttl MS          ask an author's home again after    FTO_CONSENT_TTL_MS (86400000: 24 h)
  --consent-unreachable wait|show  a home that does not answer: keep its authors waiting, or show
                            them after --consent-unreachable-after   FTO_CONSENT_UNREACHABLE (wait)
  --consent-unreachable-after MS                                FTO_CONSENT_UNREACHABLE_MS (21600000: 6 h)
  --consent-pace MS         least time between two requests to one home  FTO_CONSENT_PACE_MS (2000)
  --geocoder nominatim      ask Nominatim (1 request/s, cached) about places the gazetteer lacks
                                                                FTO_GEOCODER     (off)
  --geocoder-url URL        Nominatim server                    FTO_GEOCODER_URL (https://nominatim.openstreetmap.org)
                            (map part: {"campaigns": {"yourturn": {"title", "description", "callToAction",
                             "examplePost", "link": {"url", "label"}, "accentColor": "#c2410c"}}}; see docs/api.md)
  --bluesky, --no-bluesky   follow the tags on Bluesky too       FTO_BLUESKY=0 turns it off  (on)
  --jetstream URL           Bluesky Jetstream, repeatable (failover in order)  FTO_JETSTREAM=url,url
                            (wss://jetstream1.us-east.bsky.network … jetstream2.us-west, Bluesky's four)
  --bsky-appview URL        AppView for profiles and labels     FTO_BSKY_APPVIEW (https://public.api.bsky.app)
  --bluesky-identifier H    handle and app password for Bluesky search (backfill); never logged
  --bluesky-app-password P                                      FTO_BLUESKY_IDENTIFIER, FTO_BLUESKY_APP_PASSWORD
                            (they log in at FTO_BLUESKY_PDS, https://bsky.social; without them Bluesky starts from now)
  environment only:         FTO_ADMIN_TOKEN (enables /api/admin), FTO_RATE_LIMIT (requests/s per IP and
                            process, 20; 0 = off), FTO_TRUST_PROXY (whose X-Forwarded-For to believe:
                            addresses, subnets, loopback; loopback)
  -h, --help                this text
`;

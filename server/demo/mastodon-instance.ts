// The test Mastodon instance is the package server/demo/mastodon/; this path stays for imports
// not yet moved to it (sample-campaign.ts).
export * from './mastodon/index.js';

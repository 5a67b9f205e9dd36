import type { InstanceContext } from './context.js';

/** `GET /api/v2/instance` and `/api/v1/instance` (https://docs.joinmastodon.org/methods/instance/). */
export function createInstanceInfo(instance: InstanceContext) {
  const { origin, streamingUrl, domain, quirks, model } = instance;
  const { title, software } = quirks;
  const { records, accounts } = model;

  function instanceV2() {
    const thumbnail = `${origin}/avatars/${encodeURIComponent(title)}.svg`;
    return {
      domain,
      title,
      version: quirks.version,
      source_url: quirks.sourceUrl,
      description: `${title}: a local ${software} instance for the Find the Others demo and tests.`,
      usage: {
        users: { active_month: new Set(records.map((r) => r.account).filter((a) => a.local)).size },
      },
      thumbnail: { url: thumbnail, blurhash: null, versions: {} },
      icon: [],
      languages: ['en'],
      configuration: {
        urls: {
          streaming: streamingUrl,
          status: null,
          about: `https://${domain}/about`,
          privacy_policy: `https://${domain}/privacy-policy`,
          terms_of_service: null,
        },
        vapid: { public_key: '' },
        accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
        statuses: {
          max_characters: 500,
          max_media_attachments: 4,
          characters_reserved_per_url: 23,
        },
        media_attachments: {
          supported_mime_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'],
          description_limit: 1500,
          image_size_limit: 16777216,
          image_matrix_limit: 33177600,
          video_size_limit: 103809024,
          video_frame_rate_limit: 120,
          video_matrix_limit: 8294400,
        },
        polls: {
          max_options: 4,
          max_characters_per_option: 50,
          min_expiration: 300,
          max_expiration: 2629746,
        },
        translation: { enabled: false },
        // Mastodon 4.5: https://docs.joinmastodon.org/entities/Instance/#timelines_access
        timelines_access: {
          live_feeds: { local: 'public', remote: 'public' },
          hashtag_feeds: { local: quirks.feedAccess.local, remote: quirks.feedAccess.remote },
          trending_link_feeds: { local: 'public', remote: 'public' },
        },
      },
      registrations: {
        enabled: false,
        approval_required: false,
        message: null,
        url: null,
        min_age: null,
        reason_required: false,
      },
      api_versions: { mastodon: 6 },
      contact: { email: `admin@${domain}`, account: null },
      rules: [{ id: '1', text: 'Be kind.', hint: '' }],
    };
  }

  function instanceV1() {
    const v2 = instanceV2();
    return {
      uri: domain,
      title,
      short_description: v2.description,
      description: v2.description,
      email: v2.contact.email,
      version: v2.version,
      urls: { streaming_api: streamingUrl },
      stats: {
        user_count: [...accounts.values()].filter((a) => a.local).length,
        status_count: records.filter((r) => r.account.local && !r.deleted).length,
        domain_count: new Set([...accounts.values()].map((a) => a.domain)).size,
      },
      thumbnail: v2.thumbnail.url,
      languages: v2.languages,
      registrations: false,
      approval_required: false,
      invites_enabled: false,
      configuration: {
        accounts: v2.configuration.accounts,
        statuses: v2.configuration.statuses,
        media_attachments: v2.configuration.media_attachments,
        polls: v2.configuration.polls,
      },
      contact_account: null,
      rules: v2.rules,
    };
  }

  return { instanceV1, instanceV2 };
}

import { z } from 'zod';
import { normalizeTag, notATag } from '../../shared/tag.js';
import type { CampaignIdentity } from '../../shared/types.js';
import { ConfigError, splitList, unique } from './values.js';

/** The campaigns' part of the configuration: which tags, and what each map says about itself. */
const defaults = {
  tags: ['yourturn'], // the campaign the project was made for
};

/** `--tag` (repeatable), else FTO_TAGS, else the default campaign: lower case, without `#`. */
export function parseTags(flags: string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  return unique(
    (flags ?? splitList(env.FTO_TAGS) ?? defaults.tags).map((t) =>
      parseTag(t, flags ? '--tag' : 'FTO_TAGS'),
    ),
  );
}

/** Hashtags as Mastodon matches them: letters, digits, underscore; we store them lower case. */
export function parseTag(raw: string, source: string): string {
  const tag = normalizeTag(raw);
  if (tag === null) throw new ConfigError(notATag(source, raw));
  return tag;
}

const identitySchema = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().min(1).max(1000).optional(),
  callToAction: z.string().trim().min(1).max(300).optional(),
  examplePost: z.string().trim().min(1).max(500).optional(),
  link: z
    .strictObject({
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      label: z.string().trim().min(1).max(200),
    })
    .nullable()
    .optional(),
  accentColor: z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a hex colour like "#c2410c"')
    .nullable()
    .optional(),
});

/** The `campaigns` key of the config file; other keys (instances, tokens) belong to other modules. */
export const campaignsFileSchema = z.looseObject({
  campaigns: z.record(z.string(), identitySchema).optional(),
});

export type CampaignIdentityInput = z.infer<typeof identitySchema>;

/** What a campaign shows when the config file says nothing about it. */
export function defaultIdentity(tag: string): CampaignIdentity {
  return {
    title: `#${tag}`,
    description: `People posting #${tag} on the fediverse, and where they are.`,
    callToAction: `Post #${tag} with the name of your city to join the map.`,
    examplePost: `#${tag} <your city>`,
    link: null,
    accentColor: null,
  };
}

/** The identities of `tags` from the parsed config file; a ConfigError names the file and key. */
export function parseIdentities(
  file: unknown,
  tags: string[],
  configPath: string | null,
): Record<string, CampaignIdentity> {
  try {
    return parseCampaignIdentities(file, tags);
  } catch (err) {
    throw new ConfigError(`${configPath}: ${(err as Error).message}`);
  }
}

/**
 * Validate the parsed config file's `campaigns` and fill defaults for every followed tag.
 * Throws an Error whose message names the bad key, e.g. `campaigns.yourturn.accentColor: must be…`.
 */
export function parseCampaignIdentities(
  file: unknown,
  tags: string[],
): Record<string, CampaignIdentity> {
  const result = campaignsFileSchema.safeParse(file);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.') || '(top level)';
    throw new Error(`${key}: ${issue.message}`);
  }
  const given = new Map(
    Object.entries(result.data.campaigns ?? {}).map(([k, v]) => [
      k.replace(/^#/, '').toLowerCase(),
      v,
    ]),
  );
  const out: Record<string, CampaignIdentity> = {};
  for (const tag of tags) {
    const d = defaultIdentity(tag);
    const g = given.get(tag) ?? {};
    out[tag] = {
      title: g.title ?? d.title,
      description: g.description ?? d.description,
      callToAction: g.callToAction ?? d.callToAction,
      examplePost: g.examplePost ?? d.examplePost,
      link: g.link ?? null,
      accentColor: g.accentColor ?? null,
    };
  }
  return out;
}

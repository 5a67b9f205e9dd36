// The words of the demo's sample campaign: where people post from, their names, and the ways
// they write a post (sample-campaign.ts picks among them with a seeded PRNG).

export const DOMAINS_BY_LANG: Record<string, string[]> = {
  en: [
    'mastodon.social',
    'hachyderm.io',
    'fosstodon.org',
    'mastodon.online',
    'infosec.exchange',
    'social.coop',
    'mas.to',
    'toot.cafe',
    'mastodon.world',
    'tech.lgbt',
  ],
  de: ['chaos.social', 'det.social', 'norden.social', 'troet.cafe', 'social.tchncs.de'],
  fr: ['piaille.fr', 'mastodon.social', 'eldritch.cafe', 'framapiaf.org'],
  es: ['masto.es', 'mastodon.social', 'mastodon.cr'],
  pt: ['mastodon.com.br', 'masto.pt'],
  it: ['mastodon.uno', 'livellosegreto.it'],
  nl: ['mastodon.nl', 'mastodon.social'],
  ja: ['mstdn.jp', 'fedibird.com', 'pawoo.net'],
  ko: ['planet.moe'],
  zh: ['m.cmx.im'],
};

export const DOMAINS_BY_COUNTRY: Record<string, string[]> = {
  GB: ['mastodonapp.uk', 'mastodon.scot'],
  IE: ['mastodon.ie'],
  CA: ['mstdn.ca', 'mastodon.online'],
  AU: ['aus.social'],
  NZ: ['mastodon.nz'],
  US: ['sfba.social', 'hachyderm.io', 'mastodon.social'],
  SE: ['mastodon.nu'],
  FI: ['mementomori.social'],
  NO: ['snabelen.no'],
  DK: ['mastodon.dk'],
  PL: ['101010.pl'],
  UA: ['mastodon.social'],
};

export const FIRST_NAMES: Record<string, string[]> = {
  en: [
    'Alex',
    'Sam',
    'Jordan',
    'Priya',
    'Kim',
    'Riley',
    'Morgan',
    'Jess',
    'Tom',
    'Aisha',
    'Ben',
    'Chloe',
    'Dev',
    'Emma',
    'Finn',
    'Grace',
    'Hana',
    'Ivan',
    'Jamal',
    'Kate',
    'Leo',
    'Maya',
    'Noor',
    'Olu',
    'Pat',
  ],
  de: ['Lena', 'Jonas', 'Mia', 'Felix', 'Anna', 'Lukas', 'Katrin', 'Tobias'],
  fr: ['Camille', 'Léa', 'Hugo', 'Manon', 'Théo', 'Inès', 'Lucas', 'Chloé'],
  es: ['Lucía', 'Mateo', 'Sofía', 'Diego', 'Valentina', 'Javier', 'Camila'],
  pt: ['João', 'Beatriz', 'Rafael', 'Mariana', 'Tiago'],
  it: ['Giulia', 'Marco', 'Chiara', 'Luca', 'Francesca'],
  nl: ['Sanne', 'Daan', 'Fleur', 'Bram'],
  ja: ['ゆき', 'Haruto', 'さくら', 'Ren', 'Aoi'],
  ru: ['Аня', 'Dmitri', 'Olga'],
  uk: ['Оксана', 'Taras', 'Iryna'],
};

export const FLAIR = [
  '',
  '',
  '',
  ' 🌻',
  ' 🏳️‍🌈',
  ' (she/her)',
  ' (he/him)',
  ' (they/them)',
  ' ✨',
  ' :blobcat:',
  ' :verified:',
  ' 🚲',
  ' 📚',
];

/** Templates per language; `{T}` the tag, `{L}` it in lower case, `{c}` the city as written, `{H}` it as a hashtag, `{r}` region or country, `{k}` country, `{f}` flag. */
export const TEMPLATES: Record<string, string[]> = {
  en: [
    '#{T} {c}',
    'Hi from {c}, {k} {f} #{T}',
    'Here in {c}. #{T}',
    '#{T} {c}, {r}',
    '#{T} #{H}',
    'Checking in from {c}! Took me long enough. #{T}',
    '{c} {f} #{T}',
    'Just did my #{T} in {c} 💪',
    '#{L} from {c}',
    'Finally: #{T} {c}\n\nSee you all out there.',
  ],
  es: ['Desde {c} #{T}', '#{T} desde {c}, {k} {f}', 'Saludos desde {c} 👋 #{T}'],
  de: ['#{T} aus {c}', 'Grüße aus {c}! #{T}', 'Hier in {c}. #{T}'],
  fr: ['Bonjour de {c} {f} #{T}', '#{T} depuis {c}', 'Coucou de {c} ! #{T}'],
  pt: ['#{T} de {c}', 'Olá de {c}! #{T}'],
  it: ['#{T} da {c}', 'Ciao da {c} {f} #{T}'],
  nl: ['#{T} vanuit {c}', 'Groeten uit {c} #{T}'],
  ja: ['#{T} {c}から', '{c}にいます #{T}'],
  other: ['#{T} {c}', '{c} {f} #{T}', '#{T} {c} 👋'],
};

export const NO_CITY = [
  '#{T} from the couch 🛋️',
  'Love seeing all the #{T} posts on my timeline this morning',
  'What is #{T}? Can someone explain?',
  '#{T} done ✅',
  'Did my #{T} today. Small town, you have never heard of it.',
  '#{T} from home, wherever that is these days',
  '#{T} on the train between two cities 🚆',
  'Boosting every #{T} I see today',
];

export const REGION_ONLY = [
  '#{T} from Canada',
  '#{T} from somewhere in Germany',
  'Greetings from Europe! #{T}',
  '#{T} from the Midwest',
  '#{T} desde Brasil {f:BR}',
  '#{T} from rural Australia',
];

export const REPLIES = ['Welcome, neighbour! #{T}', 'Same here! #{T}', 'This made my day #{T}'];

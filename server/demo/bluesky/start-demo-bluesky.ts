import { createPrng } from '../prng.js';
import { sampleCities } from '../sample-cities.js';
import { startAppViewDouble, type AppViewDouble } from './appview-double.js';
import { startJetstreamDouble, type JetstreamDouble } from './jetstream-double.js';

export interface DemoBlueskyOptions {
  /** The campaign tag, lower case. */
  tag: string;
  /** Sample Bluesky posts to send (default 60). */
  posts?: number;
  /** Over how long (default 90 s, like the fediverse sample). */
  durationMs?: number;
  seed?: number;
}

export interface DemoBluesky {
  jetstream: JetstreamDouble;
  appView: AppViewDouble;
  /** Resolves once every sample post is out. */
  done: Promise<void>;
  close(): Promise<void>;
}

const firstNames = ['Ana', 'Kofi', 'Mei', 'Ravi', 'Lena', 'Tomás', 'Aiko', 'Zara', 'Omar', 'Ines'];

/**
 * The demo's Bluesky: a local Jetstream and AppView with sample authors, posting the campaign
 * tag with their city over the demo's minute and a half. One author has the `!no-unauthenticated`
 * self-label (never shown) and one post is deleted again, so the demo shows both rules at work.
 */
export async function startDemoBluesky(options: DemoBlueskyOptions): Promise<DemoBluesky> {
  const jetstream = await startJetstreamDouble();
  const appView = await startAppViewDouble();
  const rnd = createPrng(options.seed ?? 7);
  const total = options.posts ?? 60;
  const durationMs = options.durationMs ?? 90_000;
  const authors = Array.from({ length: 40 }, (_, i) => {
    const did = `did:plc:demo${String(i).padStart(20, '0')}`;
    const name = `${firstNames[i % firstNames.length]} ${String.fromCharCode(65 + (i % 26))}.`;
    const handle = `${name.split(' ')[0]!.toLowerCase()}${i}.bsky.social`;
    appView.setProfile({
      did,
      handle,
      displayName: name,
      avatar: `${appView.url}/avatar/${did}.svg`,
      labels: i === 13 ? [{ src: did, val: '!no-unauthenticated' }] : [],
    });
    return did;
  });

  let stopped = false;
  const done = (async () => {
    for (let n = 0; n < total && !stopped; n++) {
      await new Promise((r) => setTimeout(r, durationMs / total));
      if (stopped) break;
      const city = sampleCities[rnd.int(sampleCities.length)]!;
      const did = authors[n % authors.length]!;
      // Bluesky apps write the tag as a facet over "#Tag" in the text; some posts carry it as a facet only.
      const text =
        n % 5 === 4
          ? `Here in ${city.name}, ${city.country}!`
          : `#YourTurn ${city.name}, ${city.country}`;
      const { rkey } = jetstream.post({
        did,
        text,
        facetTags: n % 5 === 4 ? ['YourTurn'] : [],
        langs: ['en'],
      });
      if (n === 7) setTimeout(() => jetstream.deletePost(did, rkey), 5_000);
    }
  })();

  return {
    jetstream,
    appView,
    done,
    async close() {
      stopped = true;
      await jetstream.close();
      await appView.close();
    },
  };
}

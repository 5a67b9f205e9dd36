import type { Logger } from 'pino';
import type { LocateInput, Locator } from '../geo/types.js';
import type { IngestItem } from '../store/store.js';

/**
 * Why a post has no city, for the admin page, when the locator cannot say (a locator with
 * `explain` gives its own reason for no pin: "‘Portland’ and ‘Seattle’ are both named as home").
 */
export const unplacedReasons = {
  abstained:
    "the locator found no city it could say is the author's: the post and profile name none, only other people's places or trips, or cities it could not choose between",
  failed: 'the locator failed on this post (a bug, in the server log); it is kept without a city',
};

/**
 * A post's city with the locator's reason, or why it has none. Never throws: a locator bug is
 * logged and the post is kept without a city, so one bad post never stops a batch.
 */
export function locatePost(
  locator: Locator,
  input: LocateInput,
  log: Logger,
  uri: string,
): Pick<IngestItem, 'located' | 'unplaced'> {
  try {
    // The locator's own reason for no pin when it can give one ("‘Lisbon’ is a trip, not home").
    if (locator.explain) {
      const { located, reason } = locator.explain(input);
      return located
        ? { located }
        : { located: null, unplaced: reason || unplacedReasons.abstained };
    }
    const located = locator.locate(input);
    return located ? { located } : { located: null, unplaced: unplacedReasons.abstained };
  } catch (err) {
    log.error({ err, uri }, 'the locator failed on a post; it is kept without a city');
    return { located: null, unplaced: unplacedReasons.failed };
  }
}

import { noChange, type Part } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import { timeAgo } from './format.js';

/** Something that shows the time; `tick` redraws it and says how long until it next changes (ms). */
export interface Ticking {
  tick(now: number): number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long until `timeAgo(then)` reads differently (ms): a second while it counts seconds, a
 * minute while minutes… at most a day. Past times round half towards the smaller number
 * (`Math.round(-1.5)` is -1), so the text turns just after each half unit, or where the unit
 * itself changes (60 seconds, 60 minutes, 24 hours).
 */
export function nextChangeIn(then: number, now: number): number {
  const age = Math.abs(now - then);
  const [unit, unitEnds] =
    age < MINUTE
      ? [SECOND, MINUTE]
      : age < HOUR
        ? [MINUTE, HOUR]
        : age < DAY
          ? [HOUR, DAY]
          : [DAY, Infinity];
  const intoHalf = (age + unit / 2) % unit;
  return Math.min(intoHalf === 0 ? 0 : unit - intoHalf, unitEnds - age) + 1;
}

/**
 * One timer for every relative time on the page, however many rows show one: it sleeps until the
 * soonest of them changes, and stops when none is left (all disconnected).
 */
export function createTicker(now: () => number = () => Date.now()) {
  const due = new Map<Ticking, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;

  function schedule(): void {
    let soonest = Infinity;
    for (const at of due.values()) soonest = Math.min(soonest, at);
    if (soonest === timerAt) return;
    clearTimeout(timer);
    timer = undefined;
    timerAt = soonest;
    if (soonest === Infinity) return;
    timer = setTimeout(fire, Math.max(0, soonest - now()));
  }

  function fire(): void {
    timer = undefined;
    timerAt = Infinity;
    const t = now();
    for (const [item, at] of due) if (at <= t) due.set(item, t + item.tick(t));
    schedule();
  }

  return {
    /** Starts redrawing `item` when its text changes; `inMs` is when it first does. */
    add(item: Ticking, inMs: number): void {
      due.set(item, now() + inMs);
      schedule();
    },
    delete(item: Ticking): void {
      if (due.delete(item)) schedule();
    },
    /** How many items it keeps up to date, for tests. */
    get size(): number {
      return due.size;
    },
  };
}

const ticker = createTicker();

class RelativeTime extends AsyncDirective implements Ticking {
  private iso = '';
  private text = '';
  private ticking = false;

  render(iso: string): string {
    this.iso = iso;
    const now = Date.now();
    this.text = timeAgo(iso, now);
    if (this.isConnected) this.follow(now);
    return this.text;
  }

  tick(now: number): number {
    const text = timeAgo(this.iso, now);
    if (text !== this.text) this.setValue((this.text = text));
    return nextChangeIn(Date.parse(this.iso), now);
  }

  private follow(now: number): void {
    const then = Date.parse(this.iso);
    if (Number.isNaN(then)) return;
    ticker.add(this, nextChangeIn(then, now));
    this.ticking = true;
  }

  protected override disconnected(): void {
    if (this.ticking) ticker.delete(this);
    this.ticking = false;
  }

  protected override reconnected(): void {
    const now = Date.now();
    this.tick(now);
    this.follow(now);
  }

  override update(_part: Part, [iso]: [string]): string | typeof noChange {
    return iso === this.iso && this.ticking ? noChange : this.render(iso);
  }
}

/**
 * "3 minutes ago" that stays true while the page is open: every one on the page shares one timer,
 * and it stops when the element showing it leaves the page.
 */
export const relativeTime = directive(RelativeTime);

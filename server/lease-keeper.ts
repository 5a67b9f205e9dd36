import type { Leases } from './store/leases.js';

export interface LeaseKeeperOptions {
  /** How long a taken or renewed lease lasts (ms): how long the others wait after its holder died. */
  ttlMs?: number;
  /** How often the holder renews and the others try to take it (ms). */
  renewMs?: number;
}

const defaults = {
  // A holder that dies is replaced 15-20 s later (TTL plus at most one try of the next process).
  ttlMs: 15_000,
  // Three renewals per lease: a holder whose event loop stalls for 10 s still keeps it.
  renewMs: 5_000,
};

/**
 * Keep trying to hold one lease, and say when this process gains or loses it: every `renewMs`
 * the holder renews it and the others try to take it. A holder that died on this machine is
 * replaced at the next try; one on another machine when its lease expires. A holder that cannot renew in time (its
 * database was busy, or its event loop stalled) lets go before the lease can pass to another, so
 * two processes never knowingly hold it at once.
 */
export function keepLease(
  deps: {
    leases: Pick<Leases, 'acquire' | 'release' | 'holder' | 'takeFrom'>;
    name: string;
    /** This process, as the lease table names it. */
    holder: string;
    onGain: () => void;
    /** `lost`: another process took it; `stopped`: this process gives it up (`stop()`). */
    onLose: (why: 'lost' | 'stopped') => Promise<void>;
    onError: (err: unknown) => void;
    /** Whether a holder is known to be dead (a process of this machine that is gone): no need to wait out its lease. */
    isDead?: (holder: string) => boolean;
    /** What the holder tells the others with each renewal (the collector's sources' status). */
    detail?: () => string | null;
    now?: () => number;
  },
  options: LeaseKeeperOptions = {},
) {
  const ttlMs = options.ttlMs ?? defaults.ttlMs;
  const renewMs = options.renewMs ?? defaults.renewMs;
  if (!(renewMs < ttlMs)) {
    throw new Error(
      `lease "${deps.name}": renewing every ${renewMs} ms must be sooner than its ${ttlMs} ms`,
    );
  }
  const now = deps.now ?? Date.now;
  let held = false;
  let renewedAt = 0;
  let losing: Promise<void> = Promise.resolve();

  function lose(why: 'lost' | 'stopped'): void {
    held = false;
    losing = deps.onLose(why).catch(deps.onError);
  }

  function tick(): void {
    let got = false;
    try {
      got = deps.leases.acquire(
        deps.name,
        deps.holder,
        ttlMs,
        held ? (deps.detail?.() ?? null) : null,
      );
      if (!got && deps.isDead) {
        const other = deps.leases.holder(deps.name)?.holder;
        if (other !== undefined && deps.isDead(other))
          got = deps.leases.takeFrom(deps.name, other, deps.holder, ttlMs);
      }
    } catch (err) {
      deps.onError(err);
      // Still ours until it expires; let go while another cannot yet have taken it.
      if (held && now() - renewedAt < ttlMs - renewMs) return;
    }
    if (got) {
      renewedAt = now();
      if (!held) {
        held = true;
        deps.onGain();
      }
    } else if (held) lose('lost');
  }

  tick();
  const timer = setInterval(tick, renewMs);
  timer.unref();

  return {
    /** Whether this process holds the lease now. */
    held: () => held,
    /** Stop trying; a held lease is given up (released), so another process need not wait it out. */
    async stop(): Promise<void> {
      clearInterval(timer);
      if (held) {
        lose('stopped');
        await losing;
        try {
          deps.leases.release(deps.name, deps.holder);
        } catch (err) {
          deps.onError(err);
        }
      }
      await losing;
    },
  };
}

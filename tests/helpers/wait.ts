/**
 * Waits for conditions over what arrives: each is checked again at once when `wake()` is called
 * (a reader calls it per event, so a test moves on as soon as its event is there) and every 5 ms
 * besides, for what nobody wakes it for.
 */
export function createWaiter() {
  let waiters: (() => void)[] = [];
  return {
    wake(): void {
      for (const w of waiters) w();
      waiters = [];
    },

    /** The first value `check` gives; throws naming `what` after `timeoutMs`. */
    async until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = check();
        if (found !== undefined) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 5));
          waiters.push(() => (clearTimeout(t), resolve()));
        });
      }
    },
  };
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ServerStatus } from '../../shared/types.js';

/**
 * Polls the server's status while the host is connected. Keeps the last good status on a
 * failed poll, so one hiccup doesn't blank the status line.
 */
export class StatusController implements ReactiveController {
  /** The last status received, or null before the first. */
  status: ServerStatus | null = null;
  /** Why the last poll failed, or null when it succeeded. */
  error: string | null = null;

  private timer: ReturnType<typeof setInterval> | undefined;
  private abort: AbortController | null = null;
  private load: ((signal: AbortSignal) => Promise<ServerStatus>) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly intervalMs = 15_000,
  ) {
    host.addController(this);
  }

  /** Starts polling with `load` (replacing any previous loader), or stops when null. */
  poll(load: ((signal: AbortSignal) => Promise<ServerStatus>) | null): void {
    this.stop();
    this.load = load;
    this.start();
  }

  hostConnected(): void {
    this.start();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private start(): void {
    if (!this.load || this.timer !== undefined) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = null;
  }

  private async refresh(): Promise<void> {
    if (!this.load) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      this.status = await this.load(abort.signal);
      this.error = null;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.error = (err as Error).message;
    }
    this.host.requestUpdate();
  }
}

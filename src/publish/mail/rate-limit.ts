/**
 * At most `perSecond` messages per second across every connection: each
 * caller gets the next free slot, spaced evenly. 0 means no limit.
 */
export class RateLimiter {
  private readonly interval: number;
  private next = 0;

  constructor(perSecond: number) {
    this.interval = perSecond > 0 ? 1000 / perSecond : 0;
  }

  /** False for no limit: callers skip `acquire` (and its await) altogether. */
  get limited(): boolean {
    return this.interval > 0;
  }

  async acquire(): Promise<void> {
    if (this.interval === 0) return;
    const now = performance.now();
    const slot = Math.max(now, this.next);
    this.next = slot + this.interval;
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}

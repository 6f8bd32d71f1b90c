import type { AnalyticsService } from './analytics.service.ts';

/** Long enough to gather a cadre's burst of edits into one refresh, short enough for the next look. */
export const editRefreshDelayMilliseconds = 60_000;

/**
 * Edits between imports (a cadre's correction, a county approval) reach the cube a minute later: the
 * counties of the edited households are gathered and refreshed together, one refresh at a time.
 */
export class EditedCountiesRefresh {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly analytics: AnalyticsService,
    private readonly log: (error: unknown) => void,
    private readonly delayMilliseconds = editRefreshDelayMilliseconds,
  ) {}

  async householdsChanged(householdIds: string[]): Promise<void> {
    for (const county of await this.analytics.countiesOfHouseholds(householdIds)) this.pending.add(county);
    if (this.pending.size === 0 || this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMilliseconds);
    this.timer.unref();
  }

  /** Refreshes what is pending now; resolves when that refresh (and any before it) has finished. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const counties = [...this.pending];
    this.pending.clear();
    this.running = this.running.then(async () => {
      if (counties.length === 0) return;
      await this.analytics.refresh('edit', { counties }).catch(this.log);
    });
    return this.running;
  }

  /** On shutdown: nothing waits for the timer; a refresh already running is let finish. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    await this.running;
  }
}

import { beijingToday } from '@shouwang/domain';
import { systemPrincipal } from '../access/system-principal.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { QualityService } from './quality.service.ts';

const checkEveryMilliseconds = 60_000;

/** Beijing wall-clock time as HH:MM. */
function beijingMinute(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}

/**
 * The nightly full run (setting `quality.nightlyRunAt`, Beijing time): checked once a minute; runs once a
 * day, the first check at or after the time, unless a scheduled run already started that day (in this or
 * another process — the run lock and the runs table are shared).
 */
export class QualitySchedule {
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly quality: QualityService,
    private readonly settings: SettingsService,
    private readonly province: string,
    private readonly log: (message: string) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), checkEveryMilliseconds);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Starts the day's run when it is due; answers whether it started one. */
  async tick(now = new Date()): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      const at = await this.settings.get('quality.nightlyRunAt');
      if (!at || beijingMinute(now) < at) return false;
      const today = beijingToday(now);
      if ((await this.quality.lastScheduledRunDay()) === today) return false;
      const run = await this.quality.startRun(systemPrincipal(this.province), { trigger: 'schedule' });
      this.log(`数据质量每日检查已开始（检查记录 ${run.id}）`);
      return true;
    } catch (error) {
      this.log(`数据质量每日检查未能开始：${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      this.checking = false;
    }
  }
}

import type { DB } from '../../db/connection.ts';

export class SettingsRepository {
  constructor(private readonly db: DB) {}

  async listAll(): Promise<
    Array<{ key: string; value: unknown; updatedAt: Date; updatedBy: string | null }>
  > {
    return this.db.selectFrom('settings').selectAll().orderBy('key').execute();
  }

  async upsert(options: { key: string; value: unknown; updatedBy: string | null }): Promise<void> {
    const value = JSON.stringify(options.value);
    await this.db
      .insertInto('settings')
      .values({ key: options.key, value, updatedBy: options.updatedBy })
      .onConflict((conflict) =>
        conflict.column('key').doUpdateSet({ value, updatedBy: options.updatedBy, updatedAt: new Date() }),
      )
      .execute();
  }
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { AuditService } from '../src/modules/audit/audit.service.ts';
import { chainHash, genesisHash } from '../src/modules/audit/audit-chain.ts';
import type { BenchContext } from './run.ts';

export const auditBenchmark = {
  description: 'append to the hash-chained audit log one entry at a time, then verify the whole chain',
  async run({ database, options, report }: BenchContext) {
    const rows = Number(options.rows ?? 1_000_000);
    const audit = new AuditService(database.db, '410000000000');
    await audit.ensurePartitions();

    // Appends as the server makes them: one transaction each, serialised on the chain head.
    const appends = 2000;
    const appendStarted = performance.now();
    for (let index = 0; index < appends; index += 1) {
      await audit.record({
        action: 'bench.append',
        actorUsername: 'bench',
        outcome: 'success',
        detail: { index },
      });
    }
    const appendSeconds = (performance.now() - appendStarted) / 1000;

    // A large log, chained in Node and loaded by COPY, to measure verification.
    const head = await database.db.selectFrom('auditChainHead').selectAll().executeTakeFirstOrThrow();
    let previousHash = head.lastHash ?? genesisHash;
    let lastId = Number(head.lastId ?? 0);
    const occurredAt = new Date();
    const client = await database.pool.connect();
    try {
      const lines = Readable.from(
        (function* () {
          for (let index = 0; index < rows; index += 1) {
            lastId += 1;
            const content = {
              id: String(lastId),
              occurredAt,
              actorUserId: null,
              actorUsername: `user${index % 5000}`,
              regionCode: '410225101200',
              ip: '10.0.0.1',
              action: 'households.read',
              targetType: 'household',
              targetId: String(index),
              outcome: 'success' as const,
              detail: { fields: ['idNumber'] },
            };
            const hash = chainHash(previousHash, content);
            yield `${lastId}\t${occurredAt.toISOString()}\t\\N\t${content.actorUsername}\t${content.regionCode}\t${content.ip}\t${content.action}\t${content.targetType}\t${content.targetId}\tsuccess\t{"fields": ["idNumber"]}\t${previousHash}\t${hash}\n`;
            previousHash = hash;
          }
        })(),
      );
      await pipeline(
        lines,
        client.query(
          copyFrom(
            'COPY audit_log (id, occurred_at, actor_user_id, actor_username, region_code, ip, action, target_type, target_id, outcome, detail, prev_hash, hash) FROM STDIN',
          ),
        ),
      );
      await client.query(`SELECT setval('audit_log_id_seq', $1)`, [lastId]);
      await client.query('UPDATE audit_chain_head SET last_id = $1, last_hash = $2', [lastId, previousHash]);
    } finally {
      client.release();
    }

    const verifyStarted = performance.now();
    const result = await audit.verify();
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (!result.ok) throw new Error(`chain broken in the benchmark: ${JSON.stringify(result)}`);
    report({
      'append (one transaction each)': `${appends} entries in ${appendSeconds.toFixed(2)} s (${Math.round(appends / appendSeconds)} entries/s)`,
      verify: `${result.checked} rows in ${verifySeconds.toFixed(1)} s (${Math.round(result.checked / verifySeconds)} rows/s)`,
    });
  },
};

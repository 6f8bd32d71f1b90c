import { createHash } from 'node:crypto';
import type { AuditOutcome } from '../../db/database.ts';

export const genesisHash = '0'.repeat(64);

export interface ChainedContent {
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorUsername: string | null;
  regionCode: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}

/** SM3 (GB/T 32905) over the previous row's hash and this row's canonical content. */
export function chainHash(prevHash: string, content: ChainedContent): string {
  const canonical = JSON.stringify([
    content.id,
    content.occurredAt.toISOString(),
    content.actorUserId,
    content.actorUsername,
    content.regionCode?.trim() ?? null,
    content.ip,
    content.action,
    content.targetType,
    content.targetId,
    content.outcome,
    canonicalize(content.detail),
  ]);
  return createHash('sm3').update(prevHash).update(canonical).digest('hex');
}

/** jsonb does not keep key order, so keys are sorted before hashing. */
function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalize((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

import * as v from 'valibot';
import {
  type SessionConfig,
  type SessionState,
  STABLE_STATES,
} from '../../machines/gstrSession.types.js';
import { readRecord } from '../fleet/readRecord.js';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { parseOptions } from '../schemas/parse.js';
import type { PersistedGstrSession } from '../session/persistence.js';
import { listPageOf } from '../stores/listPageOf.js';
import type { SessionKey, SessionStore } from '../stores/SessionStore.js';
import { overviewOf, type SessionOverview } from './sessionOverview.js';
import type { SessionPage, SessionQuery } from './types.js';

/** The most sessions one page answers. */
export const MAX_QUERY_LIMIT = 1_000;

/** A query over every session of the store (see {@link SessionQuery}). */
export const SessionQuerySchema = v.optional(
  v.object(
    {
      state: v.optional(
        v.union([
          v.picklist(STABLE_STATES, 'must be a stable state'),
          v.array(v.picklist(STABLE_STATES, 'must be a stable state')),
        ]),
      ),
      accessEndsBefore: v.optional(v.pipe(v.number(), v.finite('must be a time in ms'))),
      expiresBefore: v.optional(v.pipe(v.number(), v.finite('must be a time in ms'))),
      needsPerson: v.optional(v.boolean('must be true or false')),
      failed: v.optional(v.boolean('must be true or false')),
      error: v.optional(v.pipe(v.string(), v.maxLength(64, 'must be an error class name'))),
      gstin: v.optional(v.pipe(v.string(), v.maxLength(15, 'must be at most 15 characters'))),
      search: v.optional(v.pipe(v.string(), v.maxLength(100, 'must be at most 100 characters'))),
      limit: v.optional(
        v.pipe(
          v.number(),
          v.integer('must be a whole number'),
          v.minValue(1, 'must be at least 1'),
          v.maxValue(MAX_QUERY_LIMIT, `must be at most ${MAX_QUERY_LIMIT}`),
        ),
      ),
      cursor: v.optional(v.pipe(v.string(), v.maxLength(512, 'must be a cursor of a page'))),
    },
    'must be an object',
  ),
);

/** What a query needs of its manager. */
export interface QueryHost {
  readonly store: SessionStore;
  readonly provider: Pick<GstrProvider, 'name' | 'capabilities'>;
  readonly config: SessionConfig;
  /** The manager's clock. */
  readonly now: () => number;
  /**
   * The newest record this manager holds of a key, and the live session's state where one
   * runs; undefined when it holds none (the store's record is read).
   */
  held(
    key: SessionKey,
  ): { readonly record: PersistedGstrSession; readonly live?: SessionState } | undefined;
}

/** Records looked at per page, per session asked for (a filter may match few). */
const SCAN_FACTOR = 10;

/** Whether a session's overview passes the query. */
function matches(overview: SessionOverview, query: SessionQuery): boolean {
  const states = query.state === undefined ? undefined : [query.state].flat();
  if (states && !(states as readonly string[]).includes(overview.state)) return false;
  if (query.gstin !== undefined && overview.gstin !== query.gstin.toUpperCase()) return false;
  if (query.search) {
    const text = query.search.toLowerCase();
    if (
      !overview.gstin.toLowerCase().includes(text) &&
      !overview.username.toLowerCase().includes(text)
    )
      return false;
  }
  if (query.needsPerson !== undefined && overview.needsPerson !== query.needsPerson) return false;
  if (query.failed !== undefined && (overview.state === 'failed') !== query.failed) return false;
  if (query.error !== undefined && overview.error?.name !== query.error) return false;
  if (
    query.accessEndsBefore !== undefined &&
    !(overview.accessExpiresAt !== undefined && overview.accessExpiresAt < query.accessEndsBefore)
  )
    return false;
  if (
    query.expiresBefore !== undefined &&
    !(overview.expiresAt !== undefined && overview.expiresAt < query.expiresBefore)
  )
    return false;
  return true;
}

/**
 * One page of the sessions of the whole store that match `query`, read page by page from the
 * store (never all at once: memory stays one page). A session this manager holds answers from
 * memory; a record that cannot be read is left out (the manager's `start()` and reads report
 * those).
 */
export async function querySessions(
  host: QueryHost,
  query: SessionQuery | undefined,
): Promise<SessionPage> {
  parseOptions(SessionQuerySchema, query, 'sessions');
  const q = query ?? {};
  const limit = q.limit ?? 100;
  const budget = limit * SCAN_FACTOR;
  const sessions: SessionOverview[] = [];
  let cursor = q.cursor;
  let scanned = 0;
  do {
    const want = Math.max(1, Math.min(limit - sessions.length, budget - scanned));
    const page = await listPageOf(host.store, cursor, want);
    cursor = page.cursor;
    scanned += page.keys.length;
    const records = await Promise.all(
      page.keys.map(async (key) => {
        const held = host.held(key);
        if (held) return held;
        const read = await readRecord(host.store, key, host.provider);
        return read.kind === 'saved' ? { record: read.saved } : undefined;
      }),
    );
    for (const found of records) {
      if (!found) continue;
      const overview = overviewOf(found.record, host.config, found.live);
      if (matches(overview, q)) sessions.push(overview);
    }
    // A page ends at a page of the store: the cursor then names exactly where to go on.
  } while (cursor !== undefined && sessions.length < limit && scanned < budget);
  return { sessions, cursor, scanned, at: host.now() };
}

import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore } from './client.js';
import { dayKey, epochSeconds, nextMidnight } from './day.js';
import {
  DuplicateReservationError,
  QuotaExceededError,
  ReservationNotFoundError,
  isConditionFailed,
  type QuotaState,
} from './errors.js';

/** Same shape as `config.quota`, so the loaded config can be passed as is. */
export interface QuotaConfig {
  dailyTokens: number;
  /** IANA zone whose midnight resets the quota; UTC by default. */
  timezone?: string;
  /** Per-user daily limits overriding `dailyTokens`. */
  perUser?: Record<string, number>;
  /** Users without a limit (unless `perUser` gives them one). */
  admins?: string[];
}

export type ReservationState = 'pending' | 'reserved' | 'settled' | 'refunded';

export interface Reservation {
  reservationId: string;
  user: string;
  state: ReservationState;
  /** Tokens charged at reserve time (the estimate). */
  tokens: number;
  /** Tokens charged in the end, once settled. */
  actualTokens?: number;
  day: string;
}

export interface ReserveResult {
  reservation: Reservation;
  quota: QuotaState;
}

/** Retries of a throttled ledger write, after the SDK's own. */
const DEFAULT_RETRIES = 4;
/** A reservation open longer than this has outlived its call (a Lambda runs 15 minutes at most): repair closes it. */
export const MAX_CALL_SECONDS = 900;

export interface QuotaLedgerOptions {
  retries?: number;
  retryDelayMs?: (attempt: number) => number;
}

/** DynamoDB's (and dynalite's, and the sandbox's) answers to a request it did not apply because of load. */
function isThrottled(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  return /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|TooManyRequests/.test(name);
}

const DAY_SK = 'DAY';
const RESERVATION_SK = 'RESERVATION';
/** Items outlive their day by a margin so a late settle still finds them; TTL is only cleanup. */
const KEEP_AFTER_RESET_S = 2 * 86_400;

export const quotaKey = (user: string, day: string): string => `QUOTA#${user}#${day}`;
export const reservationKey = (reservationId: string): string => `RES#${reservationId}`;

/**
 * Per-user daily token quota with reserve → settle | refund, idempotent per reservation id.
 *
 * Why this shape (dynalite has no transactions, so no step may rely on one):
 * - The counter is one item per user per local day; reserving is ONE conditional `ADD`, so 50
 *   concurrent reservations can never push it past the limit.
 * - A marker item per reservation (keyed by the approval id) is created with
 *   `attribute_not_exists(pk)` before the counter moves, and later moved between states only by
 *   conditional updates. A retried settle or refund therefore loses the condition and changes
 *   nothing, instead of adding to the counter a second time.
 * - If the process dies between two writes the error is always on the safe side: the user is
 *   over-charged until midnight, never under-charged.
 * - Settle and refund are repairable: closing a reservation marks it `counterPending` before the
 *   counter moves, and the counter records the ids it has been corrected for (`closed`, a string
 *   set, by condition). A settle or refund retried after a failed counter write finds the mark,
 *   applies the correction exactly once, and clears the mark.
 */
export class QuotaLedger {
  private readonly timezone: string;
  private readonly retries: number;
  private readonly retryDelayMs: (attempt: number) => number;

  constructor(
    private readonly store: LedgerStore,
    private readonly config: QuotaConfig,
    private readonly now: () => Date = () => new Date(),
    options: QuotaLedgerOptions = {},
  ) {
    this.timezone = config.timezone ?? 'UTC';
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.retryDelayMs = options.retryDelayMs ?? ((attempt) => Math.min(1_000, 25 * 2 ** attempt));
  }

  /**
   * One write or read, retried on throttling (beyond the SDK's own attempts): a throttled request
   * was not applied, so trying it again is safe, conditions included.
   */
  private async send<T>(command: object): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.store.doc.send(command as never)) as T;
      } catch (err) {
        if (attempt >= this.retries || !isThrottled(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs(attempt)));
      }
    }
  }

  /** The user's daily limit; null means unlimited. */
  limitFor(user: string): number | null {
    const own = this.config.perUser?.[user];
    if (own !== undefined) return own;
    if (this.config.admins?.includes(user)) return null;
    return this.config.dailyTokens;
  }

  async reserve(user: string, tokens: number, { reservationId }: { reservationId: string }): Promise<ReserveResult> {
    if (!Number.isInteger(tokens) || tokens < 0) throw new RangeError(`tokens must be a non-negative integer, got ${tokens}`);
    const at = this.now();
    const day = dayKey(at, this.timezone);
    const resetsAt = nextMidnight(at, this.timezone);
    const limit = this.limitFor(user);

    // Refuse before writing anything: `attribute_not_exists(used)` would let a first, oversized
    // reservation through.
    if (limit !== null && tokens > limit) {
      const used = await this.readUsed(user, day);
      throw new QuotaExceededError(user, tokens, used, limit, resetsAt.toISOString());
    }

    // Reservations whose calls died (a crashed process, writes that kept failing) are closed first:
    // they must not hold this user's quota until midnight.
    await this.repair(user, { day }).catch(() => undefined);

    await this.createMarker({ reservationId, user, state: 'pending', tokens, day }, resetsAt);

    let used: number;
    try {
      used = await this.addToCounter(user, day, tokens, limit, resetsAt, reservationId);
    } catch (err) {
      if (isConditionFailed(err) && limit !== null) {
        // Nothing was charged: drop the marker so the same approval may retry (e.g. a lite model).
        await this.dropPendingMarker(reservationId);
        // dynalite drops ReturnValuesOnConditionCheckFailure, so read the counter instead.
        const current = await this.readUsed(user, day);
        throw new QuotaExceededError(user, tokens, current, limit, resetsAt.toISOString());
      }
      // Charged or not (a write that failed after its retries may or may not have landed): close it.
      await this.refund(reservationId).catch(() => undefined);
      throw err;
    }

    try {
      await this.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK },
          UpdateExpression: 'SET #state = :reserved',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':reserved': 'reserved' },
        }),
      );
    } catch (err) {
      // Charged, but not marked: give it back now rather than leave it until a repair.
      await this.refund(reservationId).catch(() => undefined);
      throw err;
    }
    return {
      reservation: { reservationId, user, state: 'reserved', tokens, day },
      quota: this.state(used, limit, resetsAt),
    };
  }

  /**
   * Replaces the estimate with the real usage. Idempotent: a second settle (or a settle after a
   * refund) changes nothing and returns the reservation as it stands.
   */
  async settle(reservationId: string, actualTokens: number): Promise<Reservation> {
    if (!Number.isInteger(actualTokens) || actualTokens < 0) throw new RangeError(`actualTokens must be a non-negative integer, got ${actualTokens}`);
    const won = await this.transition(reservationId, 'settled', actualTokens);
    if (!won) return this.repairClosed(reservationId);
    const closed: Reservation = { ...won, state: 'settled', actualTokens };
    await this.correctCounter(closed);
    return closed;
  }

  /** Gives the whole estimate back (the call failed). Idempotent and repairable like `settle`. */
  async refund(reservationId: string): Promise<Reservation> {
    const won = await this.transition(reservationId, 'refunded', 0);
    if (!won) return this.repairClosed(reservationId);
    const closed: Reservation = { ...won, state: 'refunded', actualTokens: 0 };
    await this.correctCounter(closed);
    return closed;
  }

  /**
   * A settle or refund that lost the transition: the reservation is closed already. If the
   * counter correction of that close never landed (a failed write), apply it now (exactly once).
   */
  private async repairClosed(reservationId: string): Promise<Reservation> {
    const { Item } = await this.send<{ Item?: Record<string, unknown> }>(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK }, ConsistentRead: true }),
    );
    if (!Item) throw new ReservationNotFoundError(reservationId);
    const reservation = toReservation(Item);
    if (Item.counterPending === true && (reservation.state === 'settled' || reservation.state === 'refunded')) await this.correctCounter(reservation);
    return reservation;
  }

  /** Moves the counter by (actual − estimate) for a closed reservation, once, then clears its mark. */
  private async correctCounter(reservation: Reservation): Promise<void> {
    const delta = (reservation.actualTokens ?? 0) - reservation.tokens;
    await this.adjustCounter(reservation.user, reservation.day, delta, reservation.reservationId);
    await this.send(
      new UpdateCommand({
        TableName: this.store.tableName,
        Key: { pk: reservationKey(reservation.reservationId), sk: RESERVATION_SK },
        UpdateExpression: 'REMOVE counterPending',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async usage(user: string): Promise<QuotaState> {
    const at = this.now();
    const used = await this.readUsed(user, dayKey(at, this.timezone));
    return this.state(used, this.limitFor(user), nextMidnight(at, this.timezone));
  }

  async getReservation(reservationId: string): Promise<Reservation> {
    const { Item } = await this.send<{ Item?: Record<string, unknown> }>(
      new GetCommand({
        TableName: this.store.tableName,
        Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK },
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new ReservationNotFoundError(reservationId);
    return toReservation(Item);
  }

  private state(used: number, limit: number | null, resetsAt: Date): QuotaState {
    return {
      used,
      limit,
      remaining: limit === null ? null : Math.max(0, limit - used),
      resetsAt: resetsAt.toISOString(),
    };
  }

  private async createMarker(reservation: Reservation, resetsAt: Date): Promise<void> {
    try {
      await this.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: {
            pk: reservationKey(reservation.reservationId),
            sk: RESERVATION_SK,
            ...reservation,
            createdAt: this.now().toISOString(),
            expiresAt: epochSeconds(resetsAt) + KEEP_AFTER_RESET_S,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const existing = await this.getReservation(reservation.reservationId).catch(() => undefined);
      throw new DuplicateReservationError(reservation.reservationId, existing?.state ?? 'unknown');
    }
  }

  private async dropPendingMarker(reservationId: string): Promise<void> {
    // A failed cleanup must not hide the real error; a stale marker only blocks that one id.
    await this.send(
      new DeleteCommand({
        TableName: this.store.tableName,
        Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK },
        ConditionExpression: '#state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':pending': 'pending' },
      }),
    ).catch(() => undefined);
  }

  /**
   * The one conditional ADD; returns the new total. It records the reservation id in the counter's
   * `charged` set in the same write, so it applies at most once per id (a retry after an unknown
   * outcome finds the id and stops), and repair knows exactly which reservations the counter holds.
   */
  private async addToCounter(user: string, day: string, tokens: number, limit: number | null, resetsAt: Date, reservationId: string): Promise<number> {
    const notCharged = '(attribute_not_exists(#charged) OR NOT contains(#charged, :id))';
    try {
      const { Attributes } = await this.send<{ Attributes?: Record<string, unknown> }>(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: quotaKey(user, day), sk: DAY_SK },
          UpdateExpression: 'ADD #used :n, #charged :ids SET #expiresAt = if_not_exists(#expiresAt, :ttl), #user = :user, #day = :day',
          ConditionExpression: limit === null ? notCharged : `(attribute_not_exists(#used) OR #used <= :limitMinusN) AND ${notCharged}`,
          ExpressionAttributeNames: { '#used': 'used', '#charged': 'charged', '#expiresAt': 'expiresAt', '#user': 'user', '#day': 'day' },
          ExpressionAttributeValues: {
            ':n': tokens,
            ':ids': new Set([reservationId]),
            ':id': reservationId,
            ':ttl': epochSeconds(resetsAt) + KEEP_AFTER_RESET_S,
            ':user': user,
            ':day': day,
            ...(limit === null ? {} : { ':limitMinusN': limit - tokens }),
          },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return Number(Attributes?.used ?? tokens);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      // Charged already (an earlier attempt landed): that is success, not an exceeded quota.
      const counter = await this.readCounter(user, day);
      if (counter.charged.has(reservationId)) return counter.used;
      throw err;
    }
  }

  private async readCounter(user: string, day: string): Promise<{ used: number; charged: Set<string>; closed: Set<string> }> {
    const { Item } = await this.send<{ Item?: Record<string, unknown> }>(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: quotaKey(user, day), sk: DAY_SK }, ConsistentRead: true }),
    );
    const set = (value: unknown) => new Set<string>(value instanceof Set ? [...(value as Set<string>)] : []);
    return { used: Number(Item?.used ?? 0), charged: set(Item?.charged), closed: set(Item?.closed) };
  }

  /**
   * Closes every reservation of `user` on `day` (today by default) whose call is over but that
   * is still open: opened longer than `olderThanSeconds` ago and never settled or refunded (the
   * process died, or its writes kept failing: refunded if its call never started, kept at its
   * estimate if it did), or settled/refunded with the counter's correction never applied. Exact: the counter holds the ids it charged and the ids it
   * corrected, so each correction applies once, and a reservation never charged is never refunded.
   * Returns how many it repaired.
   */
  async repair(user: string, { day, olderThanSeconds = MAX_CALL_SECONDS }: { day?: string; olderThanSeconds?: number } = {}): Promise<number> {
    const counter = await this.readCounter(user, day ?? dayKey(this.now(), this.timezone));
    const open = [...counter.charged].filter((id) => !counter.closed.has(id));
    let repaired = 0;
    for (const reservationId of open) {
      const { Item } = await this.send<{ Item?: Record<string, unknown> }>(
        new GetCommand({ TableName: this.store.tableName, Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK }, ConsistentRead: true }),
      );
      if (!Item) continue;
      const reservation = toReservation(Item);
      const openedAt = Date.parse(String(Item.createdAt ?? ''));
      const outlived = !Number.isFinite(openedAt) || this.now().getTime() - openedAt >= olderThanSeconds * 1000;
      if (reservation.state === 'settled' || reservation.state === 'refunded') {
        await this.correctCounter(reservation);
        repaired++;
      } else if (outlived && reservation.state === 'pending') {
        // Never marked reserved: its call never started. Nothing was spent.
        await this.refund(reservationId);
        repaired++;
      } else if (outlived) {
        // Reserved, then its call ended without a word (its settle or refund never landed): whether
        // the model answered is unknown, so it keeps its estimate (never under-charged) and closes.
        await this.settle(reservationId, reservation.tokens);
        repaired++;
      }
    }
    return repaired;
  }

  /**
   * Settle and refund may only lower (or correct) what a reservation charged; once per
   * reservation id: the counter keeps the ids it was corrected for, and a repeat loses the condition.
   */
  private async adjustCounter(user: string, day: string, delta: number, reservationId: string): Promise<void> {
    try {
      // Only what was charged is corrected (a reservation whose charge never landed gives nothing
      // back), and the id joins `closed` even for a zero delta: charged − closed is what is open.
      await this.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: quotaKey(user, day), sk: DAY_SK },
          UpdateExpression: 'ADD #used :delta, #closed :ids',
          ConditionExpression: 'attribute_exists(#used) AND contains(#charged, :id) AND (attribute_not_exists(#closed) OR NOT contains(#closed, :id))',
          ExpressionAttributeNames: { '#used': 'used', '#closed': 'closed', '#charged': 'charged' },
          ExpressionAttributeValues: { ':delta': delta, ':ids': new Set([reservationId]), ':id': reservationId },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }

  /** reserved → `to`, by condition; returns the reservation if this caller won, else undefined. */
  private async transition(reservationId: string, to: 'settled' | 'refunded', actualTokens: number): Promise<Reservation | undefined> {
    try {
      const { Attributes } = await this.send<{ Attributes?: Record<string, unknown> }>(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK },
          UpdateExpression: 'SET #state = :to, actualTokens = :actual, closedAt = :at, counterPending = :pending',
          // From `pending` too: a reserve that charged (or may have) but could not mark itself reserved.
          ConditionExpression: '#state = :reserved OR #state = :opening',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':to': to, ':reserved': 'reserved', ':opening': 'pending', ':actual': actualTokens, ':at': this.now().toISOString(), ':pending': true },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!Attributes) throw new ReservationNotFoundError(reservationId);
      return toReservation(Attributes);
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  private async readUsed(user: string, day: string): Promise<number> {
    const { Item } = await this.send<{ Item?: Record<string, unknown> }>(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: quotaKey(user, day), sk: DAY_SK }, ConsistentRead: true }),
    );
    return Number(Item?.used ?? 0);
  }
}

function toReservation(item: Record<string, unknown>): Reservation {
  return {
    reservationId: String(item.reservationId),
    user: String(item.user),
    state: item.state as ReservationState,
    tokens: Number(item.tokens),
    ...(item.actualTokens === undefined ? {} : { actualTokens: Number(item.actualTokens) }),
    day: String(item.day),
  };
}

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

  constructor(
    private readonly store: LedgerStore,
    private readonly config: QuotaConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.timezone = config.timezone ?? 'UTC';
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

    await this.createMarker({ reservationId, user, state: 'pending', tokens, day }, resetsAt);

    let used: number;
    try {
      used = await this.addToCounter(user, day, tokens, limit, resetsAt);
    } catch (err) {
      // Nothing was charged: drop the marker so the same approval may retry (e.g. a lite model).
      // A failed cleanup must not hide the real error; a stale marker only blocks that one id.
      await this.store.doc
        .send(
          new DeleteCommand({
            TableName: this.store.tableName,
            Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK },
            ConditionExpression: '#state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':pending': 'pending' },
          }),
        )
        .catch(() => undefined);
      if (isConditionFailed(err) && limit !== null) {
        // dynalite drops ReturnValuesOnConditionCheckFailure, so read the counter instead.
        const current = await this.readUsed(user, day);
        throw new QuotaExceededError(user, tokens, current, limit, resetsAt.toISOString());
      }
      throw err;
    }

    await this.store.doc.send(
      new UpdateCommand({
        TableName: this.store.tableName,
        Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK },
        UpdateExpression: 'SET #state = :reserved',
        ConditionExpression: '#state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':pending': 'pending', ':reserved': 'reserved' },
      }),
    );
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
    if (!won) return this.repair(reservationId);
    const closed: Reservation = { ...won, state: 'settled', actualTokens };
    await this.correctCounter(closed);
    return closed;
  }

  /** Gives the whole estimate back (the call failed). Idempotent and repairable like `settle`. */
  async refund(reservationId: string): Promise<Reservation> {
    const won = await this.transition(reservationId, 'refunded', 0);
    if (!won) return this.repair(reservationId);
    const closed: Reservation = { ...won, state: 'refunded', actualTokens: 0 };
    await this.correctCounter(closed);
    return closed;
  }

  /**
   * A settle or refund that lost the transition: the reservation is closed already. If the
   * counter correction of that close never landed (a failed write), apply it now (exactly once).
   */
  private async repair(reservationId: string): Promise<Reservation> {
    const { Item } = await this.store.doc.send(
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
    if (delta !== 0) await this.adjustCounter(reservation.user, reservation.day, delta, reservation.reservationId);
    await this.store.doc.send(
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
    const { Item } = await this.store.doc.send(
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
      await this.store.doc.send(
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

  /** The one conditional ADD; returns the new total. */
  private async addToCounter(user: string, day: string, tokens: number, limit: number | null, resetsAt: Date): Promise<number> {
    const { Attributes } = await this.store.doc.send(
      new UpdateCommand({
        TableName: this.store.tableName,
        Key: { pk: quotaKey(user, day), sk: DAY_SK },
        UpdateExpression: 'ADD #used :n SET #expiresAt = if_not_exists(#expiresAt, :ttl), #user = :user, #day = :day',
        ...(limit === null
          ? {}
          : {
              ConditionExpression: 'attribute_not_exists(#used) OR #used <= :limitMinusN',
            }),
        ExpressionAttributeNames: { '#used': 'used', '#expiresAt': 'expiresAt', '#user': 'user', '#day': 'day' },
        ExpressionAttributeValues: {
          ':n': tokens,
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
  }

  /**
   * Settle and refund may only lower (or correct) what a reservation charged; once per
   * reservation id: the counter keeps the ids it was corrected for, and a repeat loses the condition.
   */
  private async adjustCounter(user: string, day: string, delta: number, reservationId: string): Promise<void> {
    if (delta === 0) return;
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: quotaKey(user, day), sk: DAY_SK },
          UpdateExpression: 'ADD #used :delta, #closed :ids',
          ConditionExpression: 'attribute_exists(#used) AND (attribute_not_exists(#closed) OR NOT contains(#closed, :id))',
          ExpressionAttributeNames: { '#used': 'used', '#closed': 'closed' },
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
      const { Attributes } = await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: reservationKey(reservationId), sk: RESERVATION_SK },
          UpdateExpression: 'SET #state = :to, actualTokens = :actual, closedAt = :at, counterPending = :pending',
          ConditionExpression: '#state = :reserved',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':to': to, ':reserved': 'reserved', ':actual': actualTokens, ':at': this.now().toISOString(), ':pending': true },
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
    const { Item } = await this.store.doc.send(
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

/** Typed ledger errors, so front ends can word each case for the user. */

export interface QuotaState {
  used: number;
  /** null: unlimited (an admin without a configured cap). */
  limit: number | null;
  remaining: number | null;
  /** ISO instant of the next reset (local midnight in the configured timezone). */
  resetsAt: string;
}

export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError';
  constructor(
    readonly user: string,
    readonly requested: number,
    readonly used: number,
    readonly limit: number,
    readonly resetsAt: string,
  ) {
    super(`daily token quota exceeded for ${user}: ${used} of ${limit} used, ${requested} more requested; resets at ${resetsAt}`);
  }
}

/** A reservation id (the approval id) was used before: the caller lost an idempotency race. */
export class DuplicateReservationError extends Error {
  override name = 'DuplicateReservationError';
  constructor(
    readonly reservationId: string,
    readonly state: string,
  ) {
    super(`reservation ${reservationId} already exists (state ${state})`);
  }
}

export class ReservationNotFoundError extends Error {
  override name = 'ReservationNotFoundError';
  constructor(readonly reservationId: string) {
    super(`reservation ${reservationId} not found`);
  }
}

/** DynamoDB's condition failure, recognised by name so both SDK classes and wire errors match. */
export function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

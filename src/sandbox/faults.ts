import { iamActionFor, type AwsService } from '../aws/operations.js';
import { awsError, unreadableAnswerError } from './aws-error.js';
import { canonical } from './recorded.js';
import { createRandom, type Random } from './prng.js';
import type { Fault } from './scenario.js';

/**
 * Fault injection: per operation (or `service:*`), optionally per account, an error and/or a
 * latency, optionally only for the first N matching calls. Counting is per fault and per
 * transport, so each retry of the SDK consumes one — `times: 2` with 3 SDK attempts fails twice
 * and then succeeds, `times: 5` exhausts the retries.
 */
export interface FaultDecision {
  latencyMs: number;
  error?: Error;
}

export interface FaultCall {
  /** An AWS service firebreak reads, or `dynamodb` for its own table (the ledger). */
  service: AwsService | 'dynamodb';
  operation: string;
  accountId: string;
  /** The request, for faults pinned to one (`input`). */
  input?: Record<string, unknown>;
}

function matches(fault: Fault, call: FaultCall): boolean {
  const [service, operation] = fault.operation.split(':');
  if (service !== call.service) return false;
  if (operation !== '*' && operation !== call.operation) return false;
  if (fault.account !== undefined && fault.account !== call.accountId) return false;
  return fault.input === undefined || Object.entries(fault.input).every(([key, value]) => canonical(value) === canonical(call.input?.[key]));
}

/** AWS's own wording, so a model (or person) reading the message sees what it would see live. */
export function defaultMessage(errorName: string, call: FaultCall): string {
  const action = call.service === 'dynamodb' ? `dynamodb:${call.operation}` : iamActionFor(call.service, call.operation);
  const principal = `arn:aws:sts::${call.accountId}:assumed-role/firebreak/sandbox`;
  if (/AccessDenied|UnauthorizedOperation|AuthorizationError/.test(errorName)) {
    const denial = `User: ${principal} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
    return errorName === 'UnauthorizedOperation' ? `You are not authorized to perform this operation. ${denial}` : denial;
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(errorName)) return 'Rate exceeded';
  if (/NotFound/.test(errorName)) return 'The requested resource does not exist.';
  return `${errorName} (injected by the sandbox scenario)`;
}

export class FaultInjector {
  private readonly used = new Map<Fault, number>();
  private readonly draws = new Map<Fault, Random>();

  constructor(private readonly faults: readonly Fault[]) {}

  /** Is any fault aimed at `service`? (The ledger's client gets a fault middleware only then.) */
  targets(service: FaultCall['service']): boolean {
    return this.faults.some((fault) => fault.operation.startsWith(`${service}:`));
  }

  decide(call: FaultCall): FaultDecision {
    let latencyMs = 0;
    for (const fault of this.faults) {
      if (!matches(fault, call)) continue;
      const used = this.used.get(fault) ?? 0;
      if (fault.times !== undefined && used >= fault.times) continue;
      if (fault.rate !== undefined) {
        let draw = this.draws.get(fault);
        if (!draw) this.draws.set(fault, (draw = createRandom(fault.seed ?? 1)));
        if (draw.next() >= fault.rate) continue;
      }
      this.used.set(fault, used + 1);
      latencyMs += fault.latencyMs ?? 0;
      if (fault.answer === 'html') return { latencyMs, error: unreadableAnswerError(fault.httpStatusCode ?? 500) };
      if (fault.error) {
        const error = awsError(fault.error, fault.message ?? defaultMessage(fault.error, call), fault.httpStatusCode);
        return { latencyMs, error };
      }
    }
    return { latencyMs };
  }
}

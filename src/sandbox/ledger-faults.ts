import type { FaultInjector } from './faults.js';

/**
 * A scenario's `dynamodb:` faults, applied to firebreak's own table: throttling (or any error)
 * injected into the ledger's DynamoDB client INSIDE the SDK's retry loop, as DynamoDB would answer,
 * so the ledger's retries, refunds and repairs are exercised against the real wire protocol
 * (dynalite) with the failures a busy table gives.
 */
export interface MiddlewareClient {
  middlewareStack: {
    addRelativeTo(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { relation: 'after'; toMiddleware: string; name: string },
    ): void;
  };
}

/** The DocumentClient's command names (`UpdateCommand`) and the service's (`UpdateItemCommand`), as DynamoDB operations. */
const OPERATION_OF: Record<string, string> = { Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem' };

export function attachLedgerFaults(client: MiddlewareClient, injector: FaultInjector, accountId: string): void {
  client.middlewareStack.addRelativeTo(
    (next, context) => async (args) => {
      const name = (context.commandName ?? '').replace(/Command$/, '');
      const decision = injector.decide({ service: 'dynamodb', operation: OPERATION_OF[name] ?? name, accountId });
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.error) throw decision.error;
      return next(args);
    },
    // Inside the SDK's retry loop (as the sandbox's AWS transport): each attempt draws its own fault.
    { relation: 'after', toMiddleware: 'retryMiddleware', name: 'firebreakLedgerFaults' },
  );
}

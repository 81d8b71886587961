import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  FinalizeRequestMiddleware,
  InitializeMiddleware,
  Pluggable,
} from '@smithy/types';
import { callScope, captureCall, continuesEarlier, recordCall } from './call-context.js';
import { DeadlineError, ReadOnlyViolationError, type TaggedAwsError } from './errors.js';
import { findOperation, type AwsService } from './operations.js';

/**
 * Answers an SDK command without the network: the sandbox implements this. It runs inside the
 * SDK's retry loop, so a thrown ThrottlingException is retried exactly as AWS's would be.
 */
export type Transport = (request: TransportRequest) => Promise<Record<string, unknown>>;

export interface TransportRequest {
  service: AwsService;
  operation: string;
  input: Record<string, unknown>;
  accountId: string;
  region: string;
  signal?: AbortSignal;
}

export interface AccountRole {
  alias?: string;
  accountId: string;
  /** Role to assume to read this account; absent for the credentials' own account. */
  roleArn?: string;
}

export interface ClientFactoryOptions {
  region: string;
  profile?: string;
  /** Accounts the bot may read, by alias and id, with the role to assume in each. */
  accounts?: AccountRole[];
  /** The credentials' own account, when known up front (the sandbox knows it). */
  homeAccountId?: string;
  /** Sandbox mode: answer every command from here instead of AWS. */
  transport?: Transport;
  maxAttempts?: number;
  /** Backoff between retries in ms, by attempt; the SDK default when absent. */
  retryDelayMs?: (attempt: number) => number;
}

export interface AwsClients {
  accountId: string | undefined;
  region: string;
  apigateway: APIGatewayClient;
  /** HTTP APIs (API Gateway v2). */
  apigatewayv2: ApiGatewayV2Client;
  logs: CloudWatchLogsClient;
  /** CloudWatch metrics and alarms (GetMetricData, ListMetrics, DescribeAlarms). */
  cloudwatch: CloudWatchClient;
  cloudtrail: CloudTrailClient;
  ec2: EC2Client;
  lambda: LambdaClient;
  wafv2: WAFV2Client;
  sts: STSClient;
  /** Organizations is global (its endpoint is in us-east-1); answered only in the management or delegated-admin account. */
  organizations: OrganizationsClient;
  /** IAM is global: role policies of WebSocket backends (execute-api:ManageConnections). */
  iam: IAMClient;
}

export class NoRoleForAccountError extends Error {
  override name = 'NoRoleForAccountError';
  constructor(readonly accountId: string) {
    super(`no role for account ${accountId}`);
  }
}

// Placeholder identity for the sandbox: the SDK signs requests before our transport answers them.
const SANDBOX_IDENTITY: AwsCredentialIdentity = { accessKeyId: 'SANDBOX', secretAccessKey: 'SANDBOX' };

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new DeadlineError(String(signal.reason ?? 'deadline exceeded')));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineError(String(signal.reason ?? 'deadline exceeded')));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Refuses non-read operations, attributes calls to the running source, enforces its deadline,
 * and hands each finished call to a recording when one runs.
 */
function guard(service: AwsService, accountId: string, region: string): Pluggable<object, object> {
  return {
    applyToStack(stack) {
      const middleware: InitializeMiddleware<object, object> = (next, context) => async (args) => {
          const operation = String(context.commandName ?? '').replace(/Command$/, '');
          if (!findOperation(service, operation)) throw new ReadOnlyViolationError(service, operation);
          recordCall(`${service}:${operation}`);
          const call = { service, operation, accountId, region, input: ((args as { input?: Record<string, unknown> }).input ?? {}) };
          const scope = callScope.getStore();
          const continued = scope?.trace ? continuesEarlier(scope, operation, call.input) : false;
          const startedAt = Date.now();
          let ok = false;
          try {
            const out = await abortable(next(args), scope?.signal);
            ok = true;
            captureCall(call, { output: out.output });
            return out;
          } catch (err) {
            captureCall(call, err instanceof DeadlineError ? { error: err, cutAfterMs: Date.now() - startedAt } : { error: err });
            if (err && typeof err === 'object') {
              const tagged = err as TaggedAwsError;
              tagged.firebreakService ??= service;
              tagged.firebreakOperation ??= operation;
            }
            throw err;
          } finally {
            scope?.trace?.({ source: scope.sourceId, operation: `${service}:${operation}`, startedAt, endedAt: Date.now(), ok, ...(continued ? { continued } : {}) });
          }
        };
      stack.add(middleware, { step: 'initialize', name: 'firebreakGuard', priority: 'high' });
    },
  };
}

function sandbox(service: AwsService, transport: Transport, accountId: string, region: string): Pluggable<object, object> {
  return {
    applyToStack(stack) {
      const middleware: FinalizeRequestMiddleware<object, object> = (_next, context) => async (args) => {
          const operation = String(context.commandName ?? '').replace(/Command$/, '');
          const output = await transport({
            service,
            operation,
            input: (args.input ?? {}) as Record<string, unknown>,
            accountId,
            region,
            signal: callScope.getStore()?.signal,
          });
          return { output: { $metadata: { httpStatusCode: 200, attempts: 1 }, ...output }, response: {} };
        };
      stack.addRelativeTo(middleware, { relation: 'after', toMiddleware: 'retryMiddleware', name: 'firebreakSandbox' });
    },
  };
}

export class ClientFactory {
  private readonly cache = new Map<string, AwsClients>();
  private readonly baseCredentials: AwsCredentialIdentityProvider | AwsCredentialIdentity | undefined;

  constructor(readonly options: ClientFactoryOptions) {
    if (options.transport) this.baseCredentials = SANDBOX_IDENTITY;
    else if (options.profile) this.baseCredentials = fromIni({ profile: options.profile });
  }

  get homeAccountId(): string | undefined {
    return this.options.homeAccountId;
  }

  /** Resolves a configured alias (or a bare id) to an account id. */
  resolveAccount(aliasOrId: string): string | undefined {
    const match = this.options.accounts?.find((a) => a.alias === aliasOrId || a.accountId === aliasOrId);
    if (match) return match.accountId;
    return /^\d{12}$/.test(aliasOrId) ? aliasOrId : undefined;
  }

  /** Whether this account can be read: the home account always, others only with a role. */
  canRead(accountId: string | undefined): boolean {
    if (!accountId || accountId === this.options.homeAccountId) return true;
    return Boolean(this.options.accounts?.find((a) => a.accountId === accountId)?.roleArn);
  }

  /** Clients for an account (home account when absent). Throws NoRoleForAccountError when it cannot. */
  forAccount(accountId?: string, region = this.options.region): AwsClients {
    const home = !accountId || accountId === this.options.homeAccountId;
    if (!home && !this.canRead(accountId)) throw new NoRoleForAccountError(accountId);
    const key = `${home ? 'home' : accountId}/${region}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const clients = this.build(home ? this.options.homeAccountId : accountId, region, home);
    this.cache.set(key, clients);
    return clients;
  }

  private credentialsFor(accountId: string | undefined, home: boolean) {
    if (home || this.options.transport) return this.baseCredentials;
    const roleArn = this.options.accounts?.find((a) => a.accountId === accountId)?.roleArn;
    return fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: 'firebreak-readonly', DurationSeconds: 900 },
      ...(this.baseCredentials ? { masterCredentials: this.baseCredentials } : {}),
    });
  }

  private build(accountId: string | undefined, region: string, home: boolean): AwsClients {
    const credentials = this.credentialsFor(accountId, home);
    const { retryDelayMs, maxAttempts = 3, transport } = this.options;
    const config = {
      region,
      maxAttempts,
      ...(credentials ? { credentials } : {}),
      ...(retryDelayMs ? { retryStrategy: new ConfiguredRetryStrategy(maxAttempts, retryDelayMs) } : {}),
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every SDK client's stack has its own input/output union
    const make = <C extends { middlewareStack: { use(p: Pluggable<any, any>): void } }>(service: AwsService, client: C): C => {
      client.middlewareStack.use(guard(service, accountId ?? 'unknown', region));
      if (transport) client.middlewareStack.use(sandbox(service, transport, accountId ?? 'unknown', region));
      return client;
    };
    return {
      accountId,
      region,
      apigateway: make('apigateway', new APIGatewayClient(config)),
      apigatewayv2: make('apigatewayv2', new ApiGatewayV2Client(config)),
      logs: make('logs', new CloudWatchLogsClient(config)),
      cloudwatch: make('cloudwatch', new CloudWatchClient(config)),
      cloudtrail: make('cloudtrail', new CloudTrailClient(config)),
      ec2: make('ec2', new EC2Client(config)),
      lambda: make('lambda', new LambdaClient(config)),
      wafv2: make('wafv2', new WAFV2Client(config)),
      sts: make('sts', new STSClient(config)),
      organizations: make('organizations', new OrganizationsClient(config)),
      iam: make('iam', new IAMClient(config)),
    };
  }
}

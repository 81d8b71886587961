/** The three kinds of API Gateway API firebreak investigates: REST (v1), HTTP and WebSocket (v2). */
export const API_TYPES = ['REST', 'HTTP', 'WEBSOCKET'] as const;
export type ApiType = (typeof API_TYPES)[number];

/** What an investigation looks at: an API Gateway REST, HTTP or WebSocket API; `kind` leaves room for more. */
export interface Target {
  kind: 'api-gw';
  /** The API's id, whichever kind it is (the field name predates HTTP APIs and is kept stable). */
  restApiId: string;
  /**
   * Which kind of API the id turned out to be (REST via API Gateway, HTTP and WEBSOCKET via API Gateway v2).
   * Absent before resolution; the investigation fills it in and the report carries it.
   */
  apiType?: ApiType;
  /** When absent, every stage of the API is examined. */
  stage?: string;
  region: string;
  /** Account alias or id from configuration; absent means the credentials' own account. */
  account?: string;
}

/** The time range logs and events are read for. CloudTrail changes look further back (see sources). */
export interface Window {
  since: Date;
  until: Date;
}

export function describeTarget(target: Target): string {
  const stage = target.stage ? ` stage ${target.stage}` : '';
  const account = target.account ? ` account ${target.account}` : '';
  // REST stays as it always read; HTTP and WebSocket APIs say so.
  const kind = target.apiType === 'HTTP' ? ' HTTP API' : target.apiType === 'WEBSOCKET' ? ' WebSocket API' : '';
  return `API Gateway${kind} ${target.restApiId}${stage} (${target.region}${account})`;
}

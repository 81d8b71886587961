/** What an investigation looks at. Only API Gateway REST APIs today; `kind` leaves room for more. */
export interface Target {
  kind: 'api-gw';
  restApiId: string;
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
  return `API Gateway ${target.restApiId}${stage} (${target.region}${account})`;
}

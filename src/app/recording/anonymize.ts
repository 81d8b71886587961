/**
 * `--anonymize`: a recording for sharing outside the team. Every account id and every resource
 * id the scenario names is mapped, consistently, to a made-up one of the same shape (a 12-digit
 * account, `vpc-` + hex, a 10-character API id, a function name…), in every string and key of the
 * file: the ARNs in log lines, policies and CloudTrail events move with the resources they name,
 * so the rules reason over the same structure and give the same findings.
 */
type Json = Record<string, unknown>;

/** Keys whose values are resource ids or names that identify a team's resources. */
const ID_KEYS = new Set([
  'id', 'Id', 'ApiId', 'apiId', 'restApiId', 'deploymentId', 'DeploymentId', 'VpcId', 'VpcEndpointId', 'GroupId', 'SubnetId', 'NetworkInterfaceId',
  'FlowLogId', 'RouteTableId', 'VpcLinkId', 'AuthorizerId', 'authorizerId', 'RouteId', 'IntegrationId', 'resourceId', 'usagePlanId', 'FunctionName',
  'functionName', 'domainName', 'DomainName', 'ApiName', 'AlarmName',
]);
/** Values never mapped: the AWS vocabulary, not a team's names. */
const KEEP = /^(?:\$default|\*|prod|dev|test|staging|latest|\$LATEST|ANY|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|[A-Z_]+|p-FullAWSAccess|r-[a-z0-9]{4}|\/.*)$/;
/** AWS-style resource ids found anywhere in text (VPC, endpoint, SG, subnet, ENI, route table, flow log…). */
const RESOURCE_ID = /\b(?:vpce|vpc|sg|subnet|eni|rtb|fl|igw|nat|acl|pcx|tgw)-[0-9a-f]{8,17}\b/g;
const ACCOUNT_IN_ARN = /arn:aws[\w-]*:[^:\s"]*:[^:\s"]*:(\d{12}):/g;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PRINTABLE = /^[\x20-\x7e]+$/;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function walk(value: unknown, visit: (key: string | undefined, text: string) => void, key?: string): void {
  if (typeof value === 'string') visit(key, value);
  else if (Array.isArray(value)) for (const item of value) walk(item, visit, key);
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      visit(undefined, k);
      walk(v, visit, k);
    }
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A made-up stand-in of the same shape, numbered: the same id always gets the same one. */
function standIn(id: string, n: number): string {
  if (/^\d{12}$/.test(id)) return String(100_000_000_000 + n * 1_111).padStart(12, '0');
  const prefixed = /^([a-z]+)-([0-9a-f]{8,17})$/.exec(id);
  if (prefixed) return `${prefixed[1]}-${n.toString(16).padStart(prefixed[2]!.length, '0')}`;
  if (/^[a-z0-9]{10}$/.test(id)) return `anon${n.toString(36).padStart(6, '0')}`;
  if (/^[a-z0-9]{6,9}$/.test(id)) return `a${n.toString(36).padStart(id.length - 1, '0')}`;
  if (id.includes('.') && /^[a-z0-9.-]+$/i.test(id)) return `host${n}.example.com`;
  return `resource-${n}`;
}

export interface Anonymized {
  scenario: Json;
  /** How many distinct ids were mapped. */
  mapped: number;
}

export function anonymizeScenario(scenario: Json): Anonymized {
  const ids = new Set<string>();
  walk(scenario, (key, text) => {
    if (key === 'accountId' || key === 'account') if (/^\d{12}$/.test(text)) ids.add(text);
    for (const m of text.matchAll(ACCOUNT_IN_ARN)) ids.add(m[1]!);
    for (const m of text.matchAll(RESOURCE_ID)) ids.add(m[0]);
    if (key && ID_KEYS.has(key) && text.length >= 4 && !KEEP.test(text) && /^[A-Za-z0-9._-]+$/.test(text)) ids.add(text);
  });
  // The format's own words are never ids (a metric dimension's Name is `FunctionName`).
  const words = new Set<string>();
  walk(scenario, (key, text) => {
    if (key === undefined) words.add(text);
  });
  // Longest first: an id that contains another is replaced whole.
  const ordered = [...ids].filter((id) => !words.has(id)).sort((a, b) => b.length - a.length || a.localeCompare(b));
  const map = new Map(ordered.map((id, index) => [id, standIn(id, index + 1)]));
  if (map.size === 0) return { scenario, mapped: 0 };
  const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${ordered.map(escape).join('|')})(?![A-Za-z0-9])`, 'g');
  const plainReplace = (text: string) => text.replace(pattern, (id) => map.get(id) ?? id);
  // Opaque values that are base64 of text naming a resource (an Insights `@ptr` holds the log group): re-encoded.
  const replace = (text: string) => {
    if (text.length >= 16 && BASE64.test(text)) {
      const decoded = Buffer.from(text, 'base64').toString('utf8');
      if (PRINTABLE.test(decoded)) {
        const changed = plainReplace(decoded);
        if (changed !== decoded) return Buffer.from(changed, 'utf8').toString('base64');
      }
    }
    return plainReplace(text);
  };
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(rewrite);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [replace(k), rewrite(v)]));
    return value;
  };
  return { scenario: rewrite(scenario) as Json, mapped: map.size };
}

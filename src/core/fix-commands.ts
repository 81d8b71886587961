import type { Finding } from './finding.js';
import type { Report } from './report.js';

/**
 * A finding's fix as something to run: the AWS CLI command with every value firebreak knows filled
 * in (account, region, API, stage, function, security group, CIDR, domain), and a console link to
 * the resource it changes, beside the fix in words. Derived from the finding and the report alone
 * (pure), by family: a command the rule wrote is completed, one it described is written out, and
 * what firebreak cannot know stays a visible `<placeholder>`.
 */
export interface FixCommand {
  /** The fix in words, without the command (which is shown as code). */
  prose: string;
  /** One or more commands, one per line, ready to paste. */
  cli?: string;
  console?: { label: string; url: string };
}

/** What the report knows that a fix may need. */
interface Known {
  region: string;
  apiId: string;
  apiType: 'REST' | 'HTTP';
  stage?: string;
  account?: string;
}

/** The prose of a fix that is only a command. */
export const COMMAND_ONLY = 'Run the command below';

/** Services whose CLI commands need no `--region`: global ones. */
const GLOBAL_SERVICES = new Set(['iam', 'route53', 'organizations', 'sts', 'cloudfront']);
const COMMAND_START = /(^|[\s(:;,])aws [a-z0-9-]{2,30} [a-z0-9-]{2,60}\b/g;
const SG_ID = /\bsg-[0-9a-z]{3,17}\b/;
const VPCE_ID = /\bvpce-[0-9a-z]{3,17}\b/;
/** What a stage's access log should carry to explain failures (compact; the stage accepts up to 3 KB). */
const ACCESS_LOG_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod","path":"$context.path","status":"$context.status","responseType":"$context.error.responseType","error":"$context.error.message","integrationStatus":"$context.integration.status","latency":"$context.responseLatency","vpceId":"$context.identity.vpceId"}';
const CIDR = /\b\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}\b/;

function knownOf(report: Pick<Report, 'target' | 'coverage'>): Known {
  const account = report.coverage.find((r) => (r.source === 'apigw.rest-api' || r.source === 'apigwv2.api') && r.account)?.account ?? report.coverage.find((r) => r.account)?.account;
  return {
    region: report.target.region,
    apiId: report.target.restApiId,
    apiType: report.target.apiType === 'HTTP' ? 'HTTP' : 'REST',
    ...(report.target.stage ? { stage: report.target.stage } : {}),
    ...(account ? { account } : {}),
  };
}

/**
 * Where an embedded command ends: at a `)` that closes the prose's parenthesis, a `;`, a sentence's
 * full stop, or where the prose goes on (", or ", " then ", " and "). Quotes are kept whole.
 */
function commandEnd(text: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0) {
      if (c === ';') return i;
      if (c === '.' && (i + 1 === text.length || /\s/.test(text[i + 1] as string))) return i;
      const rest = text.slice(i, i + 7);
      if (/^, (or|and|then) /.test(rest) || /^ (or|then) /.test(rest)) return i;
    }
  }
  return text.length;
}

/** Fills what the report knows into a command's placeholders, and the region when the service is regional. */
function complete(command: string, known: Known, finding: Finding): string {
  const fn = finding.evidence.find((e) => e.source.startsWith('lambda') && e.key)?.key;
  let out = command.replace(/\s+/g, ' ').trim().replace(/[,:]$/, '');
  if (known.account) out = out.replace(/<(?:account|account id)>/g, known.account);
  out = out.replace(/<region>/g, known.region).replace(/<apiId>|<api-id>/g, known.apiId);
  if (known.stage) out = out.replace(/<stage>/g, known.stage);
  if (fn) out = out.replace(/<function>|<authorizer function>/g, fn);
  if (fn && /^aws lambda [a-z-]+-function-[a-z-]+|^aws lambda (get|put|delete)-function/.test(out) && !out.includes('--function-name')) out = `${out} --function-name ${fn}`;
  const service = /^aws ([a-z0-9-]+)/.exec(out)?.[1] ?? '';
  if (!GLOBAL_SERVICES.has(service) && !/\s--region\s/.test(`${out} `) && !out.includes('…')) out = `${out} --region ${known.region}`;
  return out;
}

/** Drops trailing blanks and colons (a loop: `[:\s]+$` would be quadratic on a long run). */
function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && /[:\s]/.test(text[end - 1] as string)) end--;
  return text.slice(0, end).trim();
}

/** Commands the rule wrote into its fix, completed; and the prose without them. */
function embedded(fix: string, known: Known, finding: Finding): { prose: string; commands: string[] } {
  const commands: string[] = [];
  let prose = '';
  let last = 0;
  COMMAND_START.lastIndex = 0;
  for (let m = COMMAND_START.exec(fix); m; m = COMMAND_START.exec(fix)) {
    const start = m.index + (m[1]?.length ?? 0);
    if (start < last) continue;
    const end = commandEnd(fix, start);
    commands.push(complete(fix.slice(start, end), known, finding));
    prose += fix.slice(last, start);
    last = end;
    COMMAND_START.lastIndex = end;
  }
  prose += fix.slice(last);
  // What is left around a cut command: "(…)", ": " at the end, a doubled space.
  prose = trimEnd(
    prose
      .replace(/\( ?\)/g, '')
      .replace(/\( ?(or|and)\b/g, '($1')
      .replace(/(\S) +([.,;])/g, '$1$2')
      .replace(/ {2,}/g, ' '),
  );
  return { prose: prose || COMMAND_ONLY, commands };
}

/** Commands for fixes the rules describe in words (the common families). */
function written(fix: string, known: Known): string[] {
  const regionFlag = `--region ${known.region}`;
  const deploy = /^Create a deployment of ([a-z0-9]{10}) to stage ([A-Za-z0-9_$-]+)/.exec(fix);
  if (deploy) {
    return [
      known.apiType === 'HTTP'
        ? `aws apigatewayv2 create-deployment --api-id ${deploy[1]} --stage-name '${deploy[2]}' ${regionFlag}`
        : `aws apigateway create-deployment --rest-api-id ${deploy[1]} --stage-name ${deploy[2]} ${regionFlag}`,
    ];
  }
  const ingress = /inbound rule TCP (\d{1,5}) from (\S{1,80}) to (sg-[0-9a-z]{3,17})/.exec(fix);
  if (ingress) {
    const [, port, from, group] = ingress;
    const source = from && SG_ID.test(from) ? `--source-group ${SG_ID.exec(from)?.[0]}` : from && CIDR.test(from) ? `--cidr ${CIDR.exec(from)?.[0]}` : '--cidr <caller CIDR>';
    return [`aws ec2 authorize-security-group-ingress --group-id ${group} --protocol tcp --port ${port} ${source} ${regionFlag}`];
  }
  const dns = /^Point ([a-z0-9.-]+\.[a-z]{2,63}) at ([a-z0-9.-]+\.[a-z]{2,63})/i.exec(fix);
  if (dns) {
    const batch = JSON.stringify({ Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: dns[1], Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: dns[2] }] } }] });
    return [`aws route53 change-resource-record-sets --hosted-zone-id <hosted zone id of ${dns[1]}> --change-batch '${batch}'`];
  }
  const refused = /\b[Aa]llow ([a-z0-9-]{2,30}:[A-Za-z0-9*]{2,60}) (?:to|for) the firebreak role/.exec(fix);
  if (refused) {
    return [
      `firebreak iam-policy --region ${known.region}${known.account ? ` --account ${known.account}` : ''} > firebreak-policy.json`,
      `aws iam put-role-policy --role-name <firebreak role> --policy-name firebreak-read-only --policy-document file://firebreak-policy.json`,
    ];
  }
  const stage = /\bstage ([A-Za-z0-9_$-]{1,128})/.exec(fix)?.[1] ?? known.stage ?? '<stage>';
  if (/^Raise the (lowest |stage |route )?limit/i.test(fix)) {
    return [
      known.apiType === 'HTTP'
        ? `aws apigatewayv2 update-stage --api-id ${known.apiId} --stage-name '${stage}' --default-route-settings ThrottlingRateLimit=<rps>,ThrottlingBurstLimit=<burst> ${regionFlag}`
        : `aws apigateway update-stage --rest-api-id ${known.apiId} --stage-name ${stage} --patch-operations 'op=replace,path=/*/*/throttling/rateLimit,value=<rps>' 'op=replace,path=/*/*/throttling/burstLimit,value=<burst>' ${regionFlag}`,
    ];
  }
  if (/^Turn on access logging for stage/.test(fix) && known.apiType === 'REST') {
    const group = `arn:aws:logs:${known.region}:${known.account ?? '<account>'}:log-group:<access log group>`;
    return [
      `aws apigateway update-stage --rest-api-id ${known.apiId} --stage-name ${stage} --patch-operations 'op=replace,path=/accessLogSettings/destinationArn,value=${group}' 'op=replace,path=/accessLogSettings/format,value=${ACCESS_LOG_FORMAT}' ${regionFlag}`,
    ];
  }
  return [];
}

function consoleHost(region: string): string {
  return `https://${region}.console.aws.amazon.com`;
}

/** The console page of the resource the fix changes. */
function consoleLink(finding: Finding, fix: string, commands: readonly string[], known: Known): FixCommand['console'] {
  const text = `${fix}\n${commands.join('\n')}`;
  const host = consoleHost(known.region);
  const region = encodeURIComponent(known.region);
  const sg = SG_ID.exec(text)?.[0];
  if (sg && /security.group|ingress|egress/i.test(text)) return { label: `security group ${sg}`, url: `${host}/ec2/home?region=${region}#SecurityGroup:groupId=${sg}` };
  const vpce = VPCE_ID.exec(text)?.[0];
  if (vpce && /endpoint/i.test(text)) return { label: `VPC endpoint ${vpce}`, url: `${host}/vpcconsole/home?region=${region}#EndpointDetails:vpcEndpointId=${vpce}` };
  const fn = finding.evidence.find((e) => e.source.startsWith('lambda') && e.key)?.key ?? /--function-name ([A-Za-z0-9_:-]+)/.exec(text)?.[1];
  if (fn && !fn.startsWith('<') && /lambda/i.test(text)) return { label: `function ${fn}`, url: `${host}/lambda/home?region=${region}#/functions/${encodeURIComponent(fn)}` };
  if (/route53|Route 53|CNAME|alias/.test(text)) return { label: 'Route 53 hosted zones', url: 'https://console.aws.amazon.com/route53/v2/hostedzones' };
  if (/firebreak role|iam /.test(text)) return { label: 'IAM roles', url: 'https://console.aws.amazon.com/iam/home#/roles' };
  if (/\bWAF\b|web ACL/i.test(text)) return { label: 'WAF web ACLs', url: `${host}/wafv2/homev2/web-acls?region=${region}` };
  if (/custom domain|base path mapping|api mapping/i.test(text)) return { label: 'custom domain names', url: `${host}/apigateway/main/publish/domain-names?region=${region}` };
  const api = encodeURIComponent(known.apiId);
  return known.apiType === 'HTTP'
    ? { label: `HTTP API ${known.apiId}`, url: `${host}/apigateway/main/api-detail?api=${api}&region=${region}` }
    : { label: `REST API ${known.apiId}${known.stage ? ` stage ${known.stage}` : ''}`, url: `${host}/apigateway/main/apis/${api}/stages?api=${api}&region=${region}` };
}

/** Fixes that are no change to make (informational, "nothing to fix") get no command and no link. */
const NOTHING_TO_DO = /^(nothing to fix|report this as a firebreak bug)/i;

export function fixCommandFor(finding: Finding, report: Pick<Report, 'target' | 'coverage'>): FixCommand {
  const fix = finding.fix.trim();
  if (!fix || NOTHING_TO_DO.test(fix)) return { prose: fix };
  const known = knownOf(report);
  const fromText = embedded(fix, known, finding);
  const commands = fromText.commands.length > 0 ? fromText.commands : written(fix, known);
  const prose = fromText.commands.length > 0 ? fromText.prose : fix;
  return {
    prose,
    ...(commands.length ? { cli: commands.join('\n') } : {}),
    console: consoleLink(finding, fix, commands, known),
  };
}

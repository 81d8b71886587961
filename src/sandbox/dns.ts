import type { DnsResolver } from '../sources/types.js';
import type { Scenario } from './scenario.js';

/** node:dns-shaped failures, so the DNS source handles the sandbox and the real resolver alike. */
function dnsError(code: string, syscall: string, hostname: string): NodeJS.ErrnoException {
  const err = new Error(`${syscall} ${code} ${hostname}`) as NodeJS.ErrnoException & { hostname: string };
  err.code = code;
  err.syscall = syscall;
  err.hostname = hostname;
  return err;
}

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

/**
 * Answers from `scenario.dns.records`. A listed name without the asked record type is ENODATA
 * (the name exists); an unlisted name is ENOTFOUND, as from node:dns.
 */
export function createSandboxDns(scenario: Scenario): DnsResolver {
  const records = new Map(Object.entries(scenario.dns?.records ?? {}).map(([name, record]) => [normalise(name), record]));
  type Record = NonNullable<Scenario['dns']>['records'][string];
  const lookup = (syscall: string, name: string, values: (r: Record) => string[] | undefined, failure: (r: Record) => string | undefined) => {
    const record = records.get(normalise(name));
    if (!record) return Promise.reject(dnsError('ENOTFOUND', syscall, name));
    const failed = failure(record);
    if (failed) return Promise.reject(dnsError(failed, syscall, name));
    const answer = values(record);
    if (!answer || answer.length === 0) return Promise.reject(dnsError('ENODATA', syscall, name));
    return Promise.resolve([...answer]);
  };
  return {
    resolveCname: (name) => lookup('queryCname', name, (r) => r.cname, (r) => r.cnameError),
    resolve4: (name) => lookup('queryA', name, (r) => r.a, (r) => r.aError),
  };
}

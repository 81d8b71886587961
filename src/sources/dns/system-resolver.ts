import { promises as dns } from 'node:dns';
import type { DnsResolver } from '../types.js';

/** Production DNS: the resolver the host uses (which is what the API's callers in that network see). */
export const systemResolver: DnsResolver = {
  resolveCname: (name) => dns.resolveCname(name),
  resolve4: (name) => dns.resolve4(name),
};

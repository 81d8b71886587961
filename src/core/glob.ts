/**
 * IAM's wildcards: `*` matches any run of characters (including none), `?` exactly one.
 * Case-sensitive by default, as IAM matches ARNs and condition values; pass `caseInsensitive`
 * only for Action names, which IAM compares case-insensitively.
 */
export function globMatch(pattern: string, value: string, options: { caseInsensitive?: boolean } = {}): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, options.caseInsensitive ? 'is' : 's').test(value);
}

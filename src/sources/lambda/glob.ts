/**
 * IAM's string and ARN wildcards: `*` matches any run of characters, `?` exactly one. Used for
 * ArnLike/StringLike conditions; matching is case-sensitive, as IAM's is for ARNs.
 */
export function globMatch(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

import type { Investigation } from './report.js';

/**
 * How an investigation can fail to say anything, shared by the engine and every front end. Kept
 * apart from the engine so a front end can recognise these without loading the sources and rules
 * (the Slack-ack Lambda never loads them).
 */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** The target API could not be read at all: the investigation ran but has nothing to say. */
export function apiNotFound(investigation: Investigation): string | undefined {
  const row = investigation.report.coverage.find((r) => r.source === 'apigw.rest-api' || r.source === 'apigwv2.api');
  return row?.error?.kind === 'not_found' ? (row.reason ?? row.error.message) : undefined;
}

/**
 * Every source failed: the investigation could not run (expired credentials, a region with no
 * access). One line naming the first root cause, instead of a table of errors and a bundle.
 */
export function nothingRead(investigation: Investigation): string | undefined {
  const rows = investigation.report.coverage;
  if (rows.length === 0 || rows.some((r) => r.status !== 'error')) return undefined;
  const root = rows.find((r) => r.error?.kind !== 'dependency_failed') ?? rows[0];
  return `no source could be read; first: ${root?.source}: ${root?.error?.message ?? 'error'}${root?.hint ? ` (${root.hint})` : ''}`;
}

/**
 * The API named by a custom domain or a name could not be found, or the name fits several: the
 * message says what was tried (and the candidates), so the person can name it by id instead.
 */
export class TargetResolutionError extends Error {
  override name = 'TargetResolutionError';
}

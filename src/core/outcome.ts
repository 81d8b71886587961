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

/** One read made to find the target, and what AWS answered (`apigateway:GetRestApi` → `NotFoundException`). */
export interface CallAnswer {
  call: string;
  answer: string;
}

/** An API seen in a list call: a candidate when the one asked for is not there. */
export interface ApiListing {
  id: string;
  name?: string;
  apiType: 'REST' | 'HTTP' | 'WEBSOCKET';
  /** yyyy-mm-dd */
  created?: string;
  /** Set when it was found in another region than the one asked. */
  region?: string;
}

/** What a not-found answer tells the person: where it looked, the reads and their answers, the nearest APIs. */
export interface NotFoundDetails {
  /** What could not be read: the API (id, name, domain), the account or the region. */
  subject: 'api' | 'account' | 'region';
  /** What the person typed. */
  asked: string;
  account?: string;
  region: string;
  /** True when the region was asked (not the default): candidates' commands then repeat it. */
  regionAsked?: boolean;
  tried: CallAnswer[];
  candidates: ApiListing[];
  /** APIs listed in that account and region, when they could be listed. */
  listed?: number;
}

/**
 * The API, its account or its region cannot be read: decided before anything is posted, so the
 * person who asked gets a private answer (what was tried, the nearest candidates) and the channel
 * sees nothing. A TargetResolutionError, so every front end that handles those handles this.
 */
export class TargetNotFoundError extends TargetResolutionError {
  override name = 'TargetNotFoundError';
  constructor(
    message: string,
    readonly details: NotFoundDetails,
  ) {
    super(message);
  }
}

/** The window cannot be read: it ends in the future, is reversed or too long (against the clock in use). */
export class WindowError extends Error {
  override name = 'WindowError';
}

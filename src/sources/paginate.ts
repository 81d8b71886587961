import type { Truncation } from '../core/coverage.js';
import { DeadlineError } from '../aws/errors.js';

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface Collected<T> {
  items: T[];
  pages: number;
  /** Set when items were dropped (cap reached) or pages were left unread. */
  truncated?: Truncation;
  /** Set when the deadline stopped pagination: what was read is kept. */
  stoppedEarly?: string;
}

/**
 * Reads pages until there are none, the page cap, or the deadline. Keeps at most `maxItems`
 * but keeps counting past it, so truncation can be reported as {kept, total} honestly.
 */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
  limits: { maxItems: number; maxPages: number },
): Promise<Collected<T>> {
  const items: T[] = [];
  let total = 0;
  let pages = 0;
  let token: string | undefined;
  let unread = false;
  let stoppedEarly: string | undefined;
  do {
    if (pages >= limits.maxPages) {
      unread = true;
      break;
    }
    let page: Page<T>;
    try {
      page = await fetchPage(token);
    } catch (err) {
      // A deadline mid-way keeps what was read; anything before the first page is a real failure.
      if (err instanceof DeadlineError && pages > 0) {
        stoppedEarly = `stopped after ${pages} pages at the deadline`;
        unread = true;
        break;
      }
      throw err;
    }
    pages += 1;
    total += page.items.length;
    for (const item of page.items) if (items.length < limits.maxItems) items.push(item);
    token = page.next;
  } while (token);
  const result: Collected<T> = { items, pages };
  if (total > items.length || unread) result.truncated = { kept: items.length, total };
  if (stoppedEarly) result.stoppedEarly = stoppedEarly;
  return result;
}

/**
 * How a front end says that an answer was reused for the same incident (an incident-fingerprint
 * hit, docs/answer-cache.md): "same evidence as 14 minutes ago, asked by @alice; the error count
 * went from 212 to 340". One phrasing for Slack and the terminal; each passes its own way of
 * naming a person.
 */
export interface ReuseFacts {
  askedBy: string;
  ageMinutes: number;
  errorCountThen: number;
  errorCountNow: number;
}

export function ageText(minutes: number): string {
  if (minutes < 1) return 'less than a minute ago';
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  return `${Math.round(minutes / 60)} hours ago`;
}

export function reuseText(facts: ReuseFacts, person: (user: string) => string = (user) => `@${user}`): string {
  const errors =
    facts.errorCountThen === facts.errorCountNow
      ? `the error count is unchanged (${facts.errorCountNow.toLocaleString('en-US')})`
      : `the error count went from ${facts.errorCountThen.toLocaleString('en-US')} to ${facts.errorCountNow.toLocaleString('en-US')}`;
  return `same evidence as ${ageText(facts.ageMinutes)}, asked by ${person(facts.askedBy)}; ${errors}`;
}

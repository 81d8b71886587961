/** Human units shared by every front end, so Slack and the terminal say the same figure alike. */

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(usd < 1 ? 3 : 2)}`;
}

/** 950 · 1.2k · 48k · 1.18M: short enough for a button label on a phone. */
export function formatTokens(tokens: number): string {
  if (tokens >= 1_000_000) return `${Number((tokens / 1_000_000).toFixed(2))}M`;
  if (tokens >= 10_000) return `${Math.round(tokens / 1000)}k`;
  if (tokens >= 1_000) return `${(tokens / 1000).toFixed(1)}k`;
  return String(tokens);
}

const BAR_WIDTH = 20;

export function changeText(now: number, before: number): string {
  if (before === 0) return now === 0 ? 'no change' : 'new this week';
  const pct = Math.round(((now - before) / before) * 100);
  return `${pct >= 0 ? '+' : ''}${pct}% vs last week`;
}

/** Daily spend as text bars: readable in any client, no image needed. */
export function dailyBars(daily: { day: string; costUsd: number }[]): string {
  const max = Math.max(0, ...daily.map((d) => d.costUsd));
  return daily
    .map((d) => {
      const width = max > 0 ? Math.round((d.costUsd / max) * BAR_WIDTH) : 0;
      return `${d.day.slice(5)} ${'█'.repeat(width)}${'·'.repeat(BAR_WIDTH - width)} ${formatUsd(d.costUsd)}`;
    })
    .join('\n');
}

import type { Traffic } from './traffic.js';

/**
 * The picture of an incident: requests per period as grey bars with their 4xx (orange) and 5xx
 * (red) parts, the p99 latency as a blue line on its own scale below, and the onset as a dashed
 * line. Pure SVG, hand-made like the weekly chart (one renderer turns both into PNG): the same
 * picture on every machine, and readable at a phone's width.
 */
const WIDTH = 800;
const MARGIN = { top: 56, right: 72, bottom: 40, left: 64 };
const BARS_HEIGHT = 180;
const GAP = 26;
const LATENCY_HEIGHT = 80;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 1.2k, 35k, 1.4M: axis labels short enough for the margin. */
function compact(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(Math.round(n));
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** A round number at or above `max` for the top of an axis. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * step >= max) return m * step;
  return 10 * step;
}

export function incidentChartSvg(traffic: Traffic, title: string): string {
  const points = traffic.points;
  const hasLatency = points.some((p) => p.p99 !== undefined);
  const height = MARGIN.top + BARS_HEIGHT + (hasLatency ? GAP + LATENCY_HEIGHT : 0) + MARGIN.bottom;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const start = Date.parse(traffic.from);
  const end = Math.max(Date.parse(traffic.until), start + 1);
  const x = (t: number) => MARGIN.left + ((t - start) / (end - start)) * plotW;
  const slot = Math.max(1, (traffic.periodSeconds * 1000 * plotW) / (end - start));
  const barW = Math.max(1, slot * 0.8);
  const maxRequests = niceMax(Math.max(...points.map((p) => p.requests)));
  const barsBottom = MARGIN.top + BARS_HEIGHT;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="18" font-weight="bold">${escapeXml(title)}</text>`,
    legend(hasLatency),
    `<line x1="${MARGIN.left}" y1="${barsBottom}" x2="${WIDTH - MARGIN.right}" y2="${barsBottom}" stroke="#999"/>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + 4}" font-size="14" text-anchor="end">${compact(maxRequests)}</text>`,
    `<text x="${MARGIN.left - 6}" y="${barsBottom}" font-size="14" text-anchor="end">0</text>`,
    `<text x="16" y="${MARGIN.top + BARS_HEIGHT / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + BARS_HEIGHT / 2})">requests / ${period(traffic.periodSeconds)}</text>`,
  ];
  for (const p of points) {
    const left = x(p.t) + (slot - barW) / 2;
    const ok = Math.max(0, p.requests - p.e4xx - p.e5xx);
    let top = barsBottom;
    for (const [count, fill] of [[ok, '#b8c2cc'], [p.e4xx, '#f0a030'], [p.e5xx, '#d62728']] as const) {
      if (count <= 0) continue;
      const h = (count / maxRequests) * BARS_HEIGHT;
      top -= h;
      parts.push(`<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"/>`);
    }
  }
  if (hasLatency) {
    const latTop = barsBottom + GAP;
    const latBottom = latTop + LATENCY_HEIGHT;
    const maxLatency = niceMax(Math.max(...points.map((p) => p.p99 ?? 0)));
    const ly = (ms: number) => latBottom - (ms / maxLatency) * LATENCY_HEIGHT;
    const line = points
      .filter((p) => p.p99 !== undefined)
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${(x(p.t) + slot / 2).toFixed(1)},${ly(p.p99 ?? 0).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<line x1="${MARGIN.left}" y1="${latBottom}" x2="${WIDTH - MARGIN.right}" y2="${latBottom}" stroke="#999"/>`,
      `<text x="${WIDTH - MARGIN.right + 6}" y="${latTop + 4}" font-size="14">${compact(maxLatency)} ms</text>`,
      `<text x="${WIDTH - MARGIN.right + 6}" y="${latBottom}" font-size="14">0</text>`,
      `<path d="${line}" fill="none" stroke="#1f77b4" stroke-width="2"/>`,
    );
  }
  const axisY = height - MARGIN.bottom + 18;
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = start + ((end - start) * i) / ticks;
    parts.push(`<text x="${x(t).toFixed(1)}" y="${axisY}" font-size="14" text-anchor="middle">${clock(t)}</text>`);
  }
  if (traffic.onset) {
    const t = Date.parse(traffic.onset);
    if (t >= start && t <= end) {
      const ox = x(t).toFixed(1);
      // The label inside the plot, on a white ground beside the line: clear of the legend above.
      const right = Number(ox) > WIDTH - 200;
      const label = `onset ${clock(t)} UTC`;
      const labelX = right ? Number(ox) - 6 : Number(ox) + 6;
      const boxX = right ? labelX - label.length * 9.5 - 4 : labelX - 4;
      parts.push(
        `<line x1="${ox}" y1="${MARGIN.top}" x2="${ox}" y2="${height - MARGIN.bottom}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5,4"/>`,
        `<rect x="${boxX.toFixed(1)}" y="${MARGIN.top + 2}" width="${(label.length * 9.5 + 8).toFixed(1)}" height="22" fill="#ffffff" fill-opacity="0.85"/>`,
        `<text x="${labelX.toFixed(1)}" y="${MARGIN.top + 18}" font-size="16" font-weight="bold" fill="#d62728" text-anchor="${right ? 'end' : 'start'}">${label}</text>`,
      );
    }
  }
  parts.push(`<text x="${WIDTH - MARGIN.right}" y="${height - 4}" font-size="12" fill="#666" text-anchor="end">${escapeXml(`${traffic.basis === 'metrics' ? 'CloudWatch metrics' : traffic.exact ? 'access logs' : 'access logs, estimated'}, ${traffic.scope}; times in UTC`)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function period(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function legend(latency: boolean): string {
  const items: [string, string][] = [
    ['#b8c2cc', '2xx–3xx'],
    ['#f0a030', '4xx'],
    ['#d62728', '5xx'],
    ...(latency ? ([['#1f77b4', 'p99 latency']] as [string, string][]) : []),
  ];
  let x = MARGIN.left;
  return items
    .map(([color, label]) => {
      const item = `<rect x="${x}" y="31" width="12" height="12" fill="${color}"/><text x="${x + 16}" y="42" font-size="14">${escapeXml(label)}</text>`;
      x += 30 + label.length * 8;
      return item;
    })
    .join('');
}

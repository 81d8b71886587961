import type { WeeklySummary } from '../../app/index.js';
import { escapeXml } from '../../core/incident-chart.js';
import { formatUsd } from '../../core/units.js';

const WIDTH = 560;
const HEIGHT = 240;
const MARGIN = { top: 36, right: 16, bottom: 32, left: 56 };

/** A hand-made bar chart of daily spend: pure, small, and the same on every machine. */
export function dailySpendSvg(summary: Pick<WeeklySummary, 'week' | 'daily'>): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(0.0001, ...summary.daily.map((d) => d.costUsd));
  const slot = plotW / Math.max(1, summary.daily.length);
  const bars = summary.daily
    .map((d, i) => {
      const h = (d.costUsd / max) * plotH;
      const x = MARGIN.left + i * slot + slot * 0.15;
      const y = MARGIN.top + plotH - h;
      const label = `<text x="${(x + slot * 0.35).toFixed(1)}" y="${HEIGHT - 12}" font-size="12" text-anchor="middle">${escapeXml(d.day.slice(5))}</text>`;
      const value = d.costUsd > 0 ? `<text x="${(x + slot * 0.35).toFixed(1)}" y="${(y - 4).toFixed(1)}" font-size="11" text-anchor="middle">${formatUsd(d.costUsd)}</text>` : '';
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="#8a2be2"/>${label}${value}`;
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">Daily model spend, ${escapeXml(summary.week)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${WIDTH - MARGIN.right}" y2="${MARGIN.top + plotH}" stroke="#999"/>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + 4}" font-size="11" text-anchor="end">${formatUsd(max)}</text>`,
    bars,
    '</svg>',
  ].join('');
}

import { incidentChartSvg } from '../core/incident-chart.js';
import type { Report } from '../core/report.js';
import { describeTarget } from '../core/target.js';

/**
 * PNG of a chart's SVG with @resvg/resvg-js (a native renderer, no browser): the weekly spend chart
 * and the incident chart share it. Undefined when the renderer cannot load, and callers keep their
 * text (bars, sparkline) instead.
 */
export async function renderPng(svg: string): Promise<Buffer | undefined> {
  const renderer = await import('@resvg/resvg-js').catch(() => undefined);
  if (!renderer) return undefined;
  return Buffer.from(new renderer.Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng());
}

/** "Traffic of API Gateway a1b2c3d4e5 stage prod (us-east-1)". */
export function incidentChartTitle(report: Pick<Report, 'target'>): string {
  return `Traffic of ${describeTarget(report.target)}`;
}

/** The incident as a picture: requests, 4xx, 5xx and p99 over the window, the onset marked. */
export async function incidentChartPng(report: Pick<Report, 'target' | 'traffic'>): Promise<Buffer | undefined> {
  if (!report.traffic || report.traffic.points.length === 0) return undefined;
  return renderPng(incidentChartSvg(report.traffic, incidentChartTitle(report)));
}

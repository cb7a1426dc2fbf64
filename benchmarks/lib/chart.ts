/**
 * One SVG bar chart per suite, written from the saved results (no browser, no library: the
 * chart is a few rectangles and labels). Each row of the suite is a group of bars: the threadkit
 * figure first, then its baselines, coloured by where they come from (threadkit, raw Node or a
 * Node peer, CPython), each group scaled to its own largest value since the rows' units differ.
 */
import type { RowResult, SuiteResult } from './report.js';
import { fmt } from './report.js';
import { isSkipped, type Source } from './types.js';

const WIDTH = 820;
const LABEL_W = 300;
const BAR_W = 380;
const BAR_H = 16;
const GAP = 4;
const HEADER_H = 24;
const GROUP_GAP = 14;
const COLOURS: Record<Source, string> = {
  threadkit: '#1f6fb2',
  node: '#8a8f98',
  python: '#e3a21a',
};
const FAMILY = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';
const FONT = `${FAMILY} font-size="12"`;
const TITLE_FONT = `${FAMILY} font-size="14" font-weight="700"`;

/** Escape text for an SVG text node or attribute. */
function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);
}

interface Bar {
  label: string;
  value: number;
  unit: string;
  source: Source;
}

function barsOf(r: SuiteResult, row: RowResult): Bar[] {
  const sourceOf = (id: string): Source => {
    const f = r.figures.find((x) => x.id === id);
    if (f?.source) return f.source;
    return id.startsWith('py.') ? 'python' : id.startsWith('tk.') ? 'threadkit' : 'node';
  };
  const bars: Bar[] = [];
  if (row.value !== undefined && Number.isFinite(row.value))
    bars.push({ label: row.label, value: row.value, unit: row.unit ?? '', source: 'threadkit' });
  for (const b of row.baselines) {
    if (b.value === undefined || !Number.isFinite(b.value)) continue;
    bars.push({ label: b.label, value: b.value, unit: b.unit ?? '', source: sourceOf(b.id) });
  }
  return bars;
}

function betterOf(r: SuiteResult, row: RowResult): 'lower' | 'higher' {
  const f = r.figures.find((x) => x.id === row.figure);
  return f && !isSkipped(f) ? (f.better ?? 'lower') : 'lower';
}

/** The SVG text of one suite's chart; null when no row has a value to draw. */
export function renderChart(r: SuiteResult): string | null {
  const parts: string[] = [];
  let y = 34;
  for (const row of r.rows) {
    const bars = barsOf(r, row);
    if (bars.length === 0) continue;
    const better = betterOf(r, row);
    parts.push(
      `<text x="8" y="${y + 14}" ${FONT} font-weight="600">${esc(row.label)}` +
        ` <tspan font-weight="400" fill="#555">(${esc(row.unit ?? '')}, ${better} is better)</tspan></text>`,
    );
    y += HEADER_H;
    const max = Math.max(...bars.map((b) => b.value));
    for (const b of bars) {
      const w = max > 0 ? Math.max(1, (b.value / max) * BAR_W) : 1;
      parts.push(
        `<text x="${LABEL_W - 8}" y="${y + BAR_H - 4}" ${FONT} text-anchor="end">${esc(b.label)}</text>`,
        `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" rx="2" fill="${COLOURS[b.source]}"/>`,
        `<text x="${(LABEL_W + w + 6).toFixed(1)}" y="${y + BAR_H - 4}" ${FONT}>${esc(fmt(b.value, b.unit))}</text>`,
      );
      y += BAR_H + GAP;
    }
    y += GROUP_GAP;
  }
  if (parts.length === 0) return null;
  const legend = (Object.keys(COLOURS) as Source[]).map((s, i) => {
    const x = 8 + i * 150;
    const name = { threadkit: 'threadkit', node: 'raw Node / Node peers', python: 'CPython' }[s];
    return (
      `<rect x="${x}" y="${y}" width="12" height="12" fill="${COLOURS[s]}"/>` +
      `<text x="${x + 18}" y="${y + 11}" ${FONT}>${name}</text>`
    );
  });
  y += 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="20" ${TITLE_FONT}>${esc(`${r.name}: ${r.title}`)}</text>`,
    ...parts,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}

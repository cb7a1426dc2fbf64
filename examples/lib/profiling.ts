/**
 * Helpers for ch06/profileTest.ts: the top functions of a V8 CPU profile (`--cpu-prof`), and a
 * memory-over-time chart in the spirit of memory_profiler's `mprof plot`, written as SVG.
 */

/** The parts of a `.cpuprofile` (Chrome DevTools' format) that are read here. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  /** Microseconds between consecutive samples. */
  timeDeltas: number[];
}

export interface FunctionTime {
  /** `slowFunction`, or V8's `(idle)`, `(program)`, `(garbage collector)`. */
  name: string;
  /** `profileTest.ts:12`, or '' for V8's pseudo-functions. */
  where: string;
  /** Self time: milliseconds sampled in this function itself. */
  selfMs: number;
}

/** Self time per function (all call sites of one function summed), largest first. */
export function topFunctions(profile: CpuProfile): FunctionTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, FunctionTime>();
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id);
    if (!frame) return;
    const name = frame.functionName || '(anonymous)';
    const file = frame.url.split('/').pop() ?? '';
    const where = file ? `${file}:${frame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = totals.get(key) ?? { name, where, selfMs: 0 };
    entry.selfMs += (profile.timeDeltas[i] ?? 0) / 1000;
    totals.set(key, entry);
  });
  return [...totals.values()].sort((a, b) => b.selfMs - a.selfMs);
}

/** Resident memory of process `pid` in MiB, from /proc (Linux), or undefined once it is gone. */
export function rssMiB(statusText: string): number | undefined {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(statusText);
  return m ? Number(m[1]) / 1024 : undefined;
}

/** A line chart of memory samples ([seconds, MiB]) as a self-contained SVG document. */
export function memoryChartSvg(samples: readonly [number, number][], title: string): string {
  const W = 800;
  const H = 420;
  const left = 70;
  const right = 20;
  const top = 50;
  const bottom = 50;
  const tMax = Math.max(1e-3, ...samples.map(([t]) => t));
  const mMax = Math.max(1, ...samples.map(([, m]) => m)) * 1.1;
  const x = (t: number) => left + (t / tMax) * (W - left - right);
  const y = (m: number) => H - bottom - (m / mMax) * (H - top - bottom);
  const fmt = (v: number) => v.toFixed(1);
  const points = samples.map(([t, m]) => `${fmt(x(t))},${fmt(y(m))}`).join(' ');
  const ticks = (max: number) => Array.from({ length: 6 }, (_, i) => (max * i) / 5);
  const yTicks = ticks(mMax)
    .map(
      (m) =>
        `<line x1="${left}" x2="${W - right}" y1="${fmt(y(m))}" y2="${fmt(y(m))}" stroke="#ddd"/>` +
        `<text x="${left - 8}" y="${fmt(y(m) + 4)}" text-anchor="end">${m.toFixed(0)}</text>`,
    )
    .join('\n  ');
  const xTicks = ticks(tMax)
    .map(
      (t) =>
        `<text x="${fmt(x(t))}" y="${H - bottom + 18}" text-anchor="middle">${t.toFixed(2)}</text>`,
    )
    .join('\n  ');
  const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
  <rect width="${W}" height="${H}" fill="white"/>
  <text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>
  ${yTicks}
  ${xTicks}
  <line x1="${left}" x2="${left}" y1="${top}" y2="${H - bottom}" stroke="black"/>
  <line x1="${left}" x2="${W - right}" y1="${H - bottom}" y2="${H - bottom}" stroke="black"/>
  <text x="${W / 2}" y="${H - 12}" text-anchor="middle">time (s)</text>
  <text x="18" y="${H / 2}" text-anchor="middle" transform="rotate(-90 18 ${H / 2})">memory used (RSS, MiB)</text>
  <polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${points}"/>
</svg>
`;
}

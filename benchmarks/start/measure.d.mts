// Types of measure.mjs, for program.ts.
/** Run one start-up measurement and print `{ first, later }` (ms) as a JSON line. */
export function measure(what: string, tk: unknown, target: unknown, later: number): Promise<void>;

/**
 * Entry of the child Node processes started by lib/child.ts:
 * `node [flags] --import tsx child-boot.ts <module URL> <export name> <JSON args>`.
 * Calls the export with the parsed args and prints its result as one JSON line.
 */
const [moduleUrl, name, json] = process.argv.slice(2);
const mod = (await import(moduleUrl)) as Record<string, unknown>;
const fn = mod[name];
if (typeof fn !== 'function')
  throw new TypeError(`${moduleUrl} does not export a function ${name}`);
const result = await fn(...(JSON.parse(json) as unknown[]));
process.stdout.write(`${JSON.stringify(result)}\n`);

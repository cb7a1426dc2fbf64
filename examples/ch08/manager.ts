/**
 * Original: Chapter 08/manager.py
 * Shows: a Manager's Namespace shared with a child process: the child reads x=1 and sets x=2.
 *
 * Manager proxies are asynchronous here: reading an attribute is `await ns.x`; setting one
 * (`ns.x = 2`) is sent at once, and a child waits for its pending requests before it exits.
 * Python prints the proxy as `Namespace(x=1)`; the port prints the same text from the
 * namespace's value (`_getvalue()`).
 */
import { print } from '@threadkit/core';
import { Manager, type NamespaceProxy, Process, threadable } from '@threadkit/multiprocessing';
import { isMain } from '../lib/cli.js';

export const myProcess = threadable(
  import.meta.url,
  async function myProcess(ns: NamespaceProxy): Promise<void> {
    // Update values within our namespace
    print(await ns.x);
    ns.x = 2;
  },
);

async function show(ns: NamespaceProxy): Promise<string> {
  const value = (await ns._getvalue()) as Record<string, unknown>;
  const attrs = Object.entries(value).map(([k, v]) => `${k}=${v}`);
  return `Namespace(${attrs.join(', ')})`;
}

async function main(): Promise<void> {
  using manager = Manager();
  const ns = await manager.Namespace();
  ns.x = 1;
  print(await show(ns));
  const process = new Process({ target: myProcess, args: [ns] });
  process.start();
  await process.joinAsync();
  print(await show(ns));
}

if (isMain(import.meta.url)) await main();

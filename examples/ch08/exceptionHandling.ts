/**
 * Original: Chapter 08/exceptionHandling.py
 * Shows: a child Process catches its exception and sends the traceback to the parent through a pipe.
 *
 * Fixed: the original writes `str(tb)`, which is `<traceback object at 0x…>`, not the trace;
 * the port sends the error's stack (its message and where it was thrown). Pipe(false) stands
 * in for os.pipe().
 */
import { print } from '@threadkit/core';
import { type Connection, Pipe, Process } from '@threadkit/multiprocessing';
import { isMain } from '../lib/cli.js';

export class MyProcess extends Process {
  static module = import.meta.url;

  constructor(public pipein: Connection) {
    super();
  }

  override run(): void {
    try {
      throw new Error('This broke stuff');
    } catch (e) {
      this.pipein.send((e as Error).stack ?? String(e));
      this.pipein.close();
    }
  }
}

function main(): void {
  const [pipeout, pipein] = Pipe(false);
  const childProcess = new MyProcess(pipein);
  childProcess.start();
  childProcess.join();
  pipein.close();
  const pipeContent = pipeout.recv();
  print(`Exception: ${pipeContent}`);
}

if (isMain(import.meta.url)) main();

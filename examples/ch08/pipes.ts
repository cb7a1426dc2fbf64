/**
 * Original: Chapter 08/pipes.py
 * Shows: a child Process subclass writes "My Name is Elliot" into a pipe; the parent reads it.
 *
 * The book passes an os.pipe() file descriptor; the port uses multiprocessing's Pipe(false)
 * (a one-way kernel pipe): the child send()s, the parent recv()s. As in the book the parent
 * closes its copy of the writing end.
 */
import { print } from '@threadkit/core';
import { type Connection, Pipe, Process } from '@threadkit/multiprocessing';
import { isMain } from '../lib/cli.js';

export class ChildProcess extends Process {
  static module = import.meta.url;

  constructor(public pipein: Connection) {
    super();
  }

  override run(): void {
    print('Attempting to pipein to pipe');
    this.pipein.send('My Name is Elliot');
    this.pipein.close();
  }
}

function main(): void {
  const [pipeout, pipein] = Pipe(false);
  const child = new ChildProcess(pipein);
  child.start();
  child.join();
  pipein.close();
  const pipeContent = pipeout.recv();
  print(`Pipe: ${pipeContent}`);
}

if (isMain(import.meta.url)) main();

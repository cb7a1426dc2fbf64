import {
  BrokenPipeError,
  BufferTooShort,
  Connection,
  DataCloneError,
  EOFError,
  OSError,
  Pipe,
  Process,
  Queue,
  ValueError,
} from '@threadkit/multiprocessing';
import { describe, expect, it } from 'vitest';

function holey(): unknown[] {
  const a: unknown[] = [1];
  a[2] = 3;
  return a;
}

describe('Pipe within one process', () => {
  it('moves structured-cloneable values both ways on a duplex pipe', () => {
    const [a, b] = Pipe();
    const value = {
      n: 1,
      s: 'x',
      list: [1, [2]],
      map: new Map([[1, 'one']]),
      date: new Date(0),
      big: 10n,
    };
    a.send(value);
    expect(b.recv()).toEqual(value);
    b.send('back');
    expect(a.recv()).toBe('back');
    expect(a.readable && a.writable && b.readable && b.writable).toBe(true);
    a.close();
    b.close();
  });

  it('round-trips values exactly, whichever encoding carries them', () => {
    const [a, b] = Pipe();
    const shared = { s: 1 };
    const values: unknown[] = [
      { plain: [1, 'two', true, null, { deep: [] }] },
      'a lone surrogate \ud800 and é',
      { u: undefined },
      holey(), // an array with a hole
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      [shared, shared],
      new Set([1, 2]),
      Array.from({ length: 1000 }, (_, i) => ({ i })), // large: binary format
      Object.assign(Object.create(null), { nullProto: 1 }),
      undefined,
      12345678901234567890n,
    ];
    for (const v of values) {
      a.send(v);
      const got = b.recv();
      expect(got).toEqual(v);
      if (Object.is(v, -0)) expect(Object.is(got, -0)).toBe(true);
    }
    a.send([shared, shared]);
    const [x, y] = b.recv() as object[];
    expect(x).toBe(y); // aliasing kept, as structured clone does
    a.close();
    b.close();
  });

  it('sendBytes / recvBytes / recvBytesInto; poll; EOFError once the other end is closed', () => {
    const [r, w] = Pipe(false);
    expect(r.writable).toBe(false);
    expect(w.readable).toBe(false);
    expect(r.poll()).toBe(false);
    w.sendBytes(Buffer.from('hello world'), 6, 5);
    // Every look sees the data (libuv's millisecond clock must not make a look come too late).
    for (let i = 0; i < 300; i++) expect(r.poll(0)).toBe(true);
    expect(r.recvBytes().toString()).toBe('world');
    w.sendBytes(new Uint8Array([1, 2, 3]));
    const into = new Uint8Array(8);
    expect(r.recvBytesInto(into, 2)).toBe(3);
    expect([...into]).toEqual([0, 0, 1, 2, 3, 0, 0, 0]);
    w.sendBytes(Buffer.from('too long for it'));
    try {
      r.recvBytesInto(new Uint8Array(4));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BufferTooShort);
      expect((e as BufferTooShort).data.toString()).toBe('too long for it');
    }
    w.sendBytes(Buffer.alloc(0));
    expect(r.recvBytes().length).toBe(0);
    w.send(1);
    w.close();
    expect(r.recv()).toBe(1);
    expect(r.poll()).toBe(true); // end of file counts as readable, as in Python
    expect(() => r.recv()).toThrow(EOFError);
    expect(() => r.recvBytes()).toThrow(EOFError);
    r.close();
  });

  it("refuses what cannot cross, with the value's path, and misuse with Python's errors", () => {
    const [r, w] = Pipe(false);
    expect(() => w.send({ ok: 1, bad: { fn: () => 1 } })).toThrow(DataCloneError);
    expect(() => w.send({ ok: 1, bad: { fn: () => 1 } })).toThrow(/obj\.bad\.fn cannot be sent/);
    expect(() => w.send([new Queue()])).toThrow(/obj\[0\].*only in its Process arguments/);
    expect(() => w.send(new (class Point {})())).toThrow(/Point instance/);
    expect(() => r.send(1)).toThrow(new OSError('connection is read-only'));
    expect(() => w.recv()).toThrow(new OSError('connection is write-only'));
    expect(() => r.recvBytes(-1)).toThrow(ValueError);
    w.sendBytes(Buffer.alloc(10));
    expect(() => r.recvBytes(5)).toThrow(new OSError('bad message length'));
    expect(r.closed).toBe(true);
    expect(() => r.recv()).toThrow(new OSError('handle is closed'));
    w.close();
    w.close();
    expect(() => w.send(1)).toThrow('handle is closed');
    expect(() => new Connection()).toThrow(TypeError);
  });

  it('BrokenPipeError when the reading end is closed everywhere', () => {
    const [r, w] = Pipe(false);
    r.close();
    expect(() => w.send('x')).toThrow(BrokenPipeError);
    w.close();
  });

  it('poll(timeout) waits about that long; poll(null) waits for data', () => {
    const [r, w] = Pipe(false);
    const t0 = performance.now();
    expect(r.poll(0.2)).toBe(false);
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(5000);
    w.send('now');
    expect(r.poll(null)).toBe(true);
    expect(r.recv()).toBe('now');
    r.close();
    w.close();
  });

  it('recvAsync / recvBytesAsync / pollAsync wait on the event loop, and can be aborted', async () => {
    const [r, w] = Pipe(false);
    setTimeout(() => w.send({ late: true }), 50);
    expect(await r.recvAsync()).toEqual({ late: true });
    expect(await r.pollAsync(0.05)).toBe(false);
    const ac = new AbortController();
    const pending = r.recvAsync({ signal: ac.signal });
    ac.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');
    w.send('after abort');
    expect(await r.pollAsync(5)).toBe(true);
    expect(await r.recvAsync()).toBe('after abort');
    w.sendBytes(Buffer.from('b'));
    expect((await r.recvBytesAsync()).toString()).toBe('b');
    w.close();
    await expect(r.recvAsync()).rejects.toThrow(EOFError);
    r.close();
  });
  it('pollAsync takes nothing, lets the event loop run while it waits, and can be aborted', async () => {
    const [r, w] = Pipe(false);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    expect(await r.pollAsync(0.2)).toBe(false);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2); // timers ran during the wait
    const ac = new AbortController();
    const waiting = r.pollAsync(null, { signal: ac.signal });
    ac.abort(new Error('no more waiting'));
    await expect(waiting).rejects.toThrow('no more waiting');
    w.sendBytes(Buffer.from('kept'));
    for (let i = 0; i < 3; i++) expect(await r.pollAsync(0)).toBe(true);
    expect(await r.pollAsync(null)).toBe(true);
    expect(r.recvBytes().toString()).toBe('kept');
    expect(await r.pollAsync(0)).toBe(false);
    w.close();
    expect(await r.pollAsync(null)).toBe(true); // end of file
    expect(() => r.recv()).toThrow(EOFError);
    r.close();
  });
});

describe('Pipe across processes', () => {
  it('a Connection passed to a child works there, both directions, and EOF ends it', () => {
    const [parentEnd, childEnd] = Pipe();
    const p = new Process({
      target: (conn: any) => {
        for (;;) {
          const msg = conn.recv();
          if (msg === 'stop') break;
          conn.send({ echo: msg, doubled: msg * 2 });
        }
        conn.sendBytes(Buffer.alloc(200_000, 1)); // bigger than a pipe: the parent reads as it goes
        conn.close();
      },
      args: [childEnd],
    });
    p.start();
    childEnd.close(); // as in Python: the parent drops its copy, so EOF can be seen
    for (let i = 1; i <= 3; i++) {
      parentEnd.send(i);
      expect(parentEnd.recv()).toEqual({ echo: i, doubled: i * 2 });
    }
    parentEnd.send('stop');
    expect(parentEnd.recvBytes().length).toBe(200_000);
    expect(() => parentEnd.recv()).toThrow(EOFError);
    p.join();
    expect(p.exitcode).toBe(0);
    parentEnd.close();
  });

  it('the child sees EOFError when the parent closes its end', () => {
    const [r, w] = Pipe(false);
    const [back, report] = Pipe(false);
    const p = new Process({
      target: (conn: any, out: any) => {
        const got: unknown[] = [];
        try {
          for (;;) got.push(conn.recv());
        } catch (e) {
          out.send({ got, error: (e as Error).name });
        }
      },
      args: [r, report],
    });
    p.start();
    r.close();
    report.close();
    w.send('a');
    w.send('b');
    w.close();
    expect(back.recv()).toEqual({ got: ['a', 'b'], error: 'EOFError' });
    p.join();
    back.close();
  });

  // CPython's _TestPoll.test_boundaries, made stricter: poll() takes nothing, so the parent
  // reads every message whole (CPython allows a poller to pull in one whole message).
  it('a child that polls the read end leaves whole messages for the parent (test_boundaries)', () => {
    for (const when of ['before', 'after'] as const) {
      const [r, w] = Pipe(false);
      const [back, report] = Pipe(false);
      if (when === 'before') {
        w.sendBytes(Buffer.from('first'));
        w.sendBytes(Buffer.from('second'));
      }
      const p = new Process({
        target: (conn: any, out: any) => {
          out.send('polling');
          out.send(conn.poll(5));
        },
        args: [r, report],
      });
      p.start();
      report.close();
      expect(back.recv()).toBe('polling');
      if (when === 'after') {
        w.sendBytes(Buffer.from('first'));
        w.sendBytes(Buffer.from('second'));
      }
      expect(back.recv()).toBe(true);
      p.join();
      expect(p.exitcode).toBe(0);
      w.close();
      expect(r.recvBytes(100).toString()).toBe('first'); // a broken frame: 'bad message length'
      expect(r.recvBytes(100).toString()).toBe('second');
      expect(() => r.recvBytes()).toThrow(EOFError);
      r.close();
      back.close();
    }
  });

  it('pollAsync in a child takes nothing either', async () => {
    const [r, w] = Pipe(false);
    const [back, report] = Pipe(false);
    w.send({ n: 1 });
    const p = new Process({
      target: async (conn: any, out: any) => {
        out.send([await conn.pollAsync(5), await conn.pollAsync(0), conn.poll(0), conn.poll()]);
      },
      args: [r, report],
    });
    p.start();
    report.close();
    expect(await back.recvAsync()).toEqual([true, true, true, true]);
    await p.joinAsync();
    expect(r.recv()).toEqual({ n: 1 });
    expect(r.poll()).toBe(false);
    r.close();
    w.close();
    back.close();
  });

  it('a child sees end of file through poll when every writer was gone before it started', async () => {
    const [r, w] = Pipe(false);
    const [back, report] = Pipe(false);
    w.send('last words');
    w.close(); // no writer is left when the child opens its own view of the pipe
    const p = new Process({
      target: async (conn: any, out: any) => {
        const seen: unknown[] = [conn.poll(5), conn.recv()];
        seen.push(conn.poll(5), await conn.pollAsync(5)); // end of file is readable
        try {
          conn.recv();
        } catch (e) {
          seen.push((e as Error).name);
        }
        out.send(seen);
      },
      args: [r, report],
    });
    p.start();
    r.close();
    report.close();
    expect(await back.recvAsync()).toEqual([true, 'last words', true, true, 'EOFError']);
    await p.joinAsync();
    back.close();
  });
});

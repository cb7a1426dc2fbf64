import { describe, expect, it } from 'vitest';
import { expectedCrawl } from '../lib/server.js';
import { indexOf, matching, runOk } from './helpers.js';

const removed = (lines: string[]) =>
  matching(lines, /^<Thread\(Thread-\d+ \(mySubscriber\), started \d+\)> removed /).map((l) => ({
    thread: /^<Thread\((Thread-\d+)/.exec(l)![1],
    item: l.replace(/^.* removed /, '').replace(/ from the queue$/, ''),
  }));

describe('chapter 5: deques', () => {
  it('appendDeque', async () => {
    const r = await runOk('ch05/appendDeque');
    expect(r.lines).toEqual([
      "Deque: deque(['1', '2', '3', '4', '5', '6'])",
      "Deque: deque(['1', '2', '3', '4', '5', '6', '1'])",
      "Deque: deque(['6', '1', '2', '3', '4', '5', '6', '1'])  (appendleft('6') done by Thread-1 (appendLeft))",
    ]);
  });

  it('deque', async () => {
    const r = await runOk('ch05/deque');
    expect(r.lines).toEqual([
      "Dequeue: deque(['1', '2', '3', '4', '5', '6'])",
      ...['1', '2', '3', '4', '5', '6'].map((i) => `Item ${i}`),
      'Left Most Element: 1',
      'Right Most Element: 6',
      "Removing Element: deque(['2', '3', '4', '5', '6'])",
      'Another thread sees the same deque: 2 3 4 5 6',
    ]);
  });

  it('insertDeque', async () => {
    const r = await runOk('ch05/insertDeque');
    expect(r.lines).toEqual([
      "Deque: deque(['1', '2', '3', '4', '5', '6'])",
      "Deque: deque(['1', '2', '3', '4', '5', 5, '6'])",
    ]);
  });

  it('removeDeque', async () => {
    const r = await runOk('ch05/removeDeque');
    expect(r.lines).toEqual([
      "Deque: deque(['1', '2', '3', '4', '5', '6'])",
      '6',
      "Deque: deque(['1', '2', '3', '4', '5'])",
      '1',
      "Deque: deque(['2', '3', '4', '5'])",
    ]);
  });

  it('rotateDeque', async () => {
    const r = await runOk('ch05/rotateDeque');
    expect(r.lines).toEqual([
      "Deque: deque(['1', '2', '3', '4', '5', '6'])",
      "Deque: deque(['4', '5', '6', '1', '2', '3'])",
      "Deque deque(['6', '1', '2', '3', '4', '5'])",
    ]);
  });
});

describe('chapter 5: lock-protected sets', () => {
  it('lockSet: `in` works (the bug fixed); the LockedSet is right under four threads', async () => {
    const r = await runOk('ch05/lockSet');
    expect(r.lines[0]).toBe('1 in set: true, 2 in set: false');
    expect(r.lines).toContain('LockedSet: 1000 elements; exactly the odd numbers below 2000: true');
    // without the Lock each single operation is still atomic, as under CPython's GIL
    expect(r.lines.at(-1)).toBe(
      'SharedSet: 1000 elements; exactly the odd numbers below 2000: true',
    );
  });

  it('decoratorSet: the method decorator guards the set', async () => {
    const r = await runOk('ch05/decoratorSet');
    expect(matching(r.lines, /^Worker-\d: added 500, removed 250, 0 missing$/)).toHaveLength(4);
    expect(r.lines.at(-1)).toBe(
      'DecoratorLockedSet: 1000 elements; exactly the odd numbers below 2000: true',
    );
  });

  it('classDecorator: the class decorator guards the set; double locking is a TypeError', async () => {
    const r = await runOk('ch05/classDecorator');
    expect(r.lines[0]).toBe('add is now lock_method(add), has is now lock_method(has)');
    expect(r.lines[1]).toBe(
      'Locking lockedMethod a second time: TypeError: Method lock_method(lockedMethod) is already locked!',
    );
    expect(r.lines).toContain('This section of our code is thread safe (lock held: true)');
    expect(matching(r.lines, /^Worker-\d: added 500, removed 250, 0 missing$/)).toHaveLength(4);
    expect(r.lines.at(-1)).toBe(
      'ClassDecoratorLockedSet: 1000 elements; exactly the odd numbers below 2000: true',
    );
  });
});

describe('chapter 5: queues', () => {
  it('queues: each of 0–9 is taken once', async () => {
    const r = await runOk('ch05/queues');
    expect(r.lines[0]).toBe('Queue Populated');
    expect(
      removed(r.lines)
        .map((x) => Number(x.item))
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.lines.at(-1)).toBe('Queue is empty');
    expect(r.lines).toHaveLength(12);
  });

  it('lifoQueues: last in, first out; each thread sees its items descend', async () => {
    const r = await runOk('ch05/lifoQueues');
    const items = removed(r.lines);
    expect(items.map((x) => Number(x.item)).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    for (const t of new Set(items.map((x) => x.thread))) {
      const mine = items.filter((x) => x.thread === t).map((x) => Number(x.item));
      expect(mine).toEqual([...mine].sort((a, b) => b - a));
    }
    expect(r.lines.at(-1)).toBe('Queue is empty');
  });

  it('priorityQueue: lowest priority first, each thread sees its priorities rise', async () => {
    const r = await runOk('ch05/priorityQueue');
    const items = removed(r.lines);
    expect(items.map((x) => x.item.replace(/ \(priority \d\)/, '')).sort()).toEqual(
      ['0a', '0b', '1a', '1b', '2a', '2b', '3a', '3b', '4a', '4b'].map((t) => `task-${t}`),
    );
    for (const x of items) expect(x.item).toMatch(/^task-(\d)[ab] \(priority \1\)$/);
    for (const t of new Set(items.map((x) => x.thread))) {
      const mine = items
        .filter((x) => x.thread === t)
        .map((x) => Number(/priority (\d)/.exec(x.item)![1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });

  it('queueJoin: join() returns once every item is done', async () => {
    const r = await runOk('ch05/queueJoin');
    expect(r.lines.slice(0, 2)).toEqual(['Queue Populated', 'Not Progressing Till Queue is Empty']);
    expect(removed(r.lines).map((x) => x.item)).toEqual(['0', '1', '2', '3', '4']);
    expect(r.lines.at(-1)).toBe('Queue is now empty');
    expect(r.lines).toHaveLength(8);
  });

  it('queueOperations: four blocking subscribers, every item once, and the program ends', async () => {
    const r = await runOk('ch05/queueOperations');
    expect(
      removed(r.lines)
        .map((x) => Number(x.item))
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const sizes = matching(r.lines, /^Queue Size is now: \d+$/);
    expect(sizes).toHaveLength(10);
    for (const s of sizes) expect(Number(s.split(': ')[1])).toBeLessThanOrEqual(9);
    expect(r.lines.slice(-2)).toEqual([
      'Every item is done; telling the subscribers to stop',
      'All subscribers have stopped',
    ]);
  });

  it('fullQueue: publishers fill a Queue(10), put() times out with Full, join() returns', async () => {
    const r = await runOk('ch05/fullQueue');
    const appended = matching(
      r.lines,
      /^<Thread\(Thread-\d \(myPublisher\), started \d+\)> Appended 1 to queue: \d+$/,
    );
    expect(appended).toHaveLength(10);
    expect(r.lines).toContain('Queue full: true (10 of 10)');
    expect(r.lines).toContain(
      'put() on the full queue waited its timeout (true), then raised Full',
    );
    expect(r.lines).toContain('Queue joined: every item done, 0 left');
    expect(r.lines).toContainEqual(
      expect.stringMatching(/^<Thread\(Thread-5 \(mySubscriber\), started \d+\)> took 10 items$/),
    );
  });
});

describe('chapter 5: web crawler', () => {
  it('webCrawler crawls the whole local site once, finds the broken link, and ends', async () => {
    const r = await runOk('ch05/webCrawler', ['--threads', '3']);
    const expected = expectedCrawl();
    expect(matching(r.lines, /^Web Crawler Worker Started: /)).toHaveLength(3);
    const crawled = matching(r.lines, /^Url .* Crawled with Status: 200$/).map(
      (l) => new URL(l.split(' ')[1]).pathname,
    );
    expect(crawled.sort()).toEqual([...expected.pages].sort());
    expect(r.lines).toContain(`Total Number of Pages Visited ${expected.pages.length}`);
    expect(r.lines).toContain(`Total Number of Pages with Errors ${expected.broken.length}`);
    expect(r.lines[indexOf(r.lines, /^Visited: /)]).toBe(
      `Visited: ${[...expected.pages].sort().join(' ')}`,
    );
    expect(r.lines.at(-1)).toBe(`Errors: ${expected.broken.join(' ')}`);
    expect(
      matching(r.lines, /elsewhere\.invalid.* is not part of the website$/).length,
    ).toBeGreaterThan(0);
  });
});

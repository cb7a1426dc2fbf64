/**
 * Original: Chapter 01/simpleCounter.py
 * Shows: a single-threaded program counting 0 to 9, the baseline before any threads.
 */
import { print } from '@threadkit/core';

print('Single Threaded Counter');
for (let i = 0; i < 10; i++) {
  print(`The Current Counter is ${i}`);
  print('-------------------------');
}

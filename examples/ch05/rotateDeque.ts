/**
 * Original: Chapter 05/rotateDeque.py
 * Shows: deque.rotate(n) moves n items from the right end to the left (negative n: the
 * other way).
 */
import { Deque, print } from '@threadkit/core';

const doubleEndedQueue = new Deque('123456');
print(`Deque: ${doubleEndedQueue}`);

doubleEndedQueue.rotate(3);
print(`Deque: ${doubleEndedQueue}`);

doubleEndedQueue.rotate(-2);
print(`Deque ${doubleEndedQueue}`);

/**
 * Original: Chapter 05/insertDeque.py
 * Shows: deque.insert(i, x) puts x before position i (here the number 5 among strings).
 */
import { Deque, print } from '@threadkit/core';

const doubleEndedQueue = new Deque('123456');
print(`Deque: ${doubleEndedQueue}`);

doubleEndedQueue.insert(5, 5);
print(`Deque: ${doubleEndedQueue}`);

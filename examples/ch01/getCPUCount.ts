/**
 * Original: Chapter 01/getCPUCount.py
 * Shows: how many CPUs the machine has (multiprocessing.cpu_count()).
 *
 * Node's answer is os.availableParallelism(); on Node, unlike CPython, threads can use all of
 * them at once for CPU-bound JavaScript (there is no GIL).
 */
import { availableParallelism } from 'node:os';
import { print } from '@threadkit/core';

print(availableParallelism());

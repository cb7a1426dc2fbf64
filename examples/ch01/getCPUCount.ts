/**
 * Original: Chapter 01/getCPUCount.py
 * Shows: how many CPUs the machine has (multiprocessing.cpu_count()).
 *
 * `cpuCount()` of @threadkit/multiprocessing is Python's cpu_count(): every CPU of the
 * machine (os.availableParallelism() is how many this process may use). On Node, unlike
 * CPython, threads can keep all of them busy with JavaScript at once: there is no GIL.
 */
import { print } from '@threadkit/core';
import { cpuCount } from '@threadkit/multiprocessing';

print(cpuCount());

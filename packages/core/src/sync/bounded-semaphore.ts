/**
 * `threading.BoundedSemaphore`: a Semaphore whose count may never exceed its initial value
 * (the bound lives in the semaphore's words, so it holds across threads too).
 */
import { attach } from '../shared/attach.js';
import { registerSharedType } from '../shared/protocol.js';
import { Semaphore } from './semaphore.js';

/**
 * A semaphore that refuses to be released above its initial value: such a `release()` throws
 * `ValueError('Semaphore released too many times')` and leaves the count unchanged. Guards
 * against releasing more often than acquiring.
 */
export class BoundedSemaphore extends Semaphore {
  /** @internal Instances remember their initial value as their bound. */
  static override readonly _bounded: boolean = true;
}

registerSharedType('BoundedSemaphore', (d) => attach(d.words[0], () => new BoundedSemaphore()));

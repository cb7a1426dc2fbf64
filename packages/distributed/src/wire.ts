/**
 * What a job carries through Redis. BullMQ stores job data, return values and failure
 * reasons as JSON strings; ours are v8-serialised (docs/CONTRACT.md §2: Maps, Sets, typed
 * arrays, errors with their class names…) and sent as base64 inside them.
 */
import { deserialize, serialize } from 'node:v8';
import type { PortableSpec } from './module-ref.js';

/** The data of one job: the task, what the worker must check, and a display name. */
export interface JobData {
  /** base64 of v8 {@link TaskPayload}. */
  p: string;
  /** The task's name, for errors and dashboards. */
  name: string;
  /** Largest result accepted, in bytes of v8 serialisation (null: no limit). */
  maxResultBytes: number | null;
  /** Seconds a run may take (null: no limit). */
  timeout: number | null;
}

/** One call (`args`) or a map chunk (`argsList`) of a target. */
export type TaskPayload =
  | { k: 'call'; spec: PortableSpec; args: unknown[] }
  | { k: 'chunk'; spec: PortableSpec; argsList: unknown[][] };

/** base64 of the v8 serialisation of `value` (throws for what cannot be serialised). */
export function pack(value: unknown): string {
  return serialize(value).toString('base64');
}

/** The value packed by {@link pack}. */
export function unpack(text: string): unknown {
  return deserialize(Buffer.from(text, 'base64'));
}

/** Marks a failure reason that carries an encoded error after the readable text. */
const ERROR_MARK = '\n--threadkit-error--\n';

/**
 * A failure reason for BullMQ: the readable `Name: message` (what dashboards show), then
 * the packed error (what the submitter rebuilds).
 */
export function failureReason(readable: string, packedError: string): string {
  return `${readable}${ERROR_MARK}${packedError}`;
}

/** The packed error in a failure reason written by {@link failureReason}, if any. */
export function packedErrorOf(reason: string | undefined): string | null {
  if (!reason) return null;
  const i = reason.lastIndexOf(ERROR_MARK);
  return i < 0 ? null : reason.slice(i + ERROR_MARK.length);
}

import type { Operation, Value } from './history.ts';

/*
 * Terse construction of hand-written histories for the tests: times in milliseconds, ids in
 * the order given.
 */

let nextId = 0;

/** Starts ids from 0 again (call at the start of each history). */
export function resetIds(): void {
  nextId = 0;
}

const us = (ms: number | null): number | null => (ms === null ? null : ms * 1000);

export function write(
  client: string,
  value: Value,
  invokeMs: number,
  completeMs: number | null,
  key = 'x',
): Operation {
  return {
    id: nextId++,
    client,
    key,
    kind: 'write',
    value,
    invokeUs: invokeMs * 1000,
    completeUs: us(completeMs),
  };
}

export function read(
  client: string,
  result: Value | undefined,
  invokeMs: number,
  completeMs: number | null,
  key = 'x',
): Operation {
  return {
    id: nextId++,
    client,
    key,
    kind: 'read',
    ...(result === undefined ? {} : { result }),
    invokeUs: invokeMs * 1000,
    completeUs: us(completeMs),
  };
}

export function append(
  client: string,
  value: Value,
  invokeMs: number,
  completeMs: number | null,
  key = 'x',
): Operation {
  return {
    id: nextId++,
    client,
    key,
    kind: 'append',
    value,
    invokeUs: invokeMs * 1000,
    completeUs: us(completeMs),
  };
}

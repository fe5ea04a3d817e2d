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

/** A deposit of `amount`: answered ones are accepted (the rule never rejects a deposit). */
export function deposit(
  client: string,
  amount: number,
  invokeMs: number,
  completeMs: number | null,
  key = 'x',
): Operation {
  return {
    id: nextId++,
    client,
    key,
    kind: 'deposit',
    value: amount,
    ...(completeMs === null ? {} : { result: 'accepted' }),
    invokeUs: invokeMs * 1000,
    completeUs: us(completeMs),
  };
}

/** A withdrawal of `amount` with the outcome its client heard (null: never answered). */
export function withdraw(
  client: string,
  amount: number,
  outcome: 'accepted' | 'rejected' | null,
  invokeMs: number,
  completeMs: number | null,
  key = 'x',
): Operation {
  return {
    id: nextId++,
    client,
    key,
    kind: 'withdraw',
    value: amount,
    ...(outcome === null ? {} : { result: outcome }),
    invokeUs: invokeMs * 1000,
    completeUs: us(completeMs),
  };
}

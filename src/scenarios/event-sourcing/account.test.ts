import { describe, expect, it } from 'vitest';
import {
  aggregateAsOf,
  decide,
  describeEvent,
  foldAccount,
  metaFor,
  streamsOf,
} from './account.ts';
import type { StoredEvent } from './storeProtocol.ts';

/*
 * The account aggregate's pure functions: the fold, "as of", and the business rules. The same
 * functions run inside the handler, the projections, the invariants and the tour.
 */

const meta = metaFor('client-1#1.1', 'client-1', 'handler-1');

function stored(version: number, type: string, amount: number, counterparty?: string): StoredEvent {
  return {
    type,
    data: counterparty === undefined ? { amount } : { amount, counterparty },
    meta,
    stream: 'acct-1',
    version,
    position: version * 2,
    recordedUs: version * 1000,
  };
}

const stream: StoredEvent[] = [
  stored(1, 'Deposited', 100),
  stored(2, 'Withdrawn', 30),
  stored(3, 'TransferredOut', 20, 'acct-2'),
  stored(4, 'TransferredIn', 5, 'acct-3'),
];

describe('aggregateAsOf', () => {
  it('folds exactly the events up to the version asked', () => {
    expect(aggregateAsOf(stream, 0)).toEqual({ version: 0, state: { balance: 0 } });
    expect(aggregateAsOf(stream, 1)).toEqual({ version: 1, state: { balance: 100 } });
    expect(aggregateAsOf(stream, 2)).toEqual({ version: 2, state: { balance: 70 } });
    expect(aggregateAsOf(stream, 3)).toEqual({ version: 3, state: { balance: 50 } });
    expect(aggregateAsOf(stream, 4)).toEqual({ version: 4, state: { balance: 55 } });
  });

  it('stops at the end of the stream and agrees with the full fold', () => {
    expect(aggregateAsOf(stream, 99)).toEqual({ version: 4, state: foldAccount(stream) });
    expect(aggregateAsOf([], 5)).toEqual({ version: 0, state: { balance: 0 } });
  });

  it('gives the same answer from a snapshot plus the tail', () => {
    const snapshot = aggregateAsOf(stream, 2);
    expect(foldAccount(stream.slice(2), snapshot.state)).toEqual(aggregateAsOf(stream, 4).state);
  });

  it('describes who made each change', () => {
    expect(describeEvent(stream[2] as StoredEvent)).toBe(
      'v3 TransferredOut 20 to acct-2 by client-1 via handler-1 at 0.003 s',
    );
  });
});

describe('business rules', () => {
  const accounts = new Map([
    ['acct-1', { balance: 50 }],
    ['acct-2', { balance: 0 }],
  ]);

  it('accepts deposits and covered withdrawals and transfers', () => {
    const deposit = decide(
      { kind: 'deposit', account: 'acct-2', to: null, amount: 7 },
      accounts,
      meta,
    );
    expect(deposit).toEqual({
      kind: 'append',
      writes: [{ stream: 'acct-2', events: [{ type: 'Deposited', data: { amount: 7 }, meta }] }],
    });
    const transfer = decide(
      { kind: 'transfer', account: 'acct-1', to: 'acct-2', amount: 50 },
      accounts,
      meta,
    );
    expect(transfer.kind === 'append' ? transfer.writes.map((write) => write.stream) : []).toEqual([
      'acct-1',
      'acct-2',
    ]);
  });

  it('refuses an overdraft, a transfer to the same account and a non-positive amount', () => {
    expect(
      decide({ kind: 'withdraw', account: 'acct-1', to: null, amount: 51 }, accounts, meta).kind,
    ).toBe('reject');
    expect(
      decide({ kind: 'transfer', account: 'acct-2', to: 'acct-1', amount: 1 }, accounts, meta).kind,
    ).toBe('reject');
    expect(
      decide({ kind: 'transfer', account: 'acct-1', to: 'acct-1', amount: 1 }, accounts, meta).kind,
    ).toBe('reject');
    expect(
      decide({ kind: 'deposit', account: 'acct-1', to: null, amount: 0 }, accounts, meta).kind,
    ).toBe('reject');
  });

  it('names the streams a command touches', () => {
    expect(streamsOf({ kind: 'transfer', account: 'acct-1', to: 'acct-2', amount: 1 })).toEqual([
      'acct-1',
      'acct-2',
    ]);
    expect(streamsOf({ kind: 'withdraw', account: 'acct-3', to: null, amount: 1 })).toEqual([
      'acct-3',
    ]);
  });
});

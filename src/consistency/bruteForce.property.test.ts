import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLinearizableByBruteForce, isSequentialByBruteForce } from './bruteForce.ts';
import { checkLinearizability, checkSequentialConsistency } from './check.ts';
import { buildHistory, type Operation } from './history.ts';
import { accountModel, registerModel } from './models.ts';

/*
 * The searches against exhaustion on small random histories: 1–7 ops from 2–3 clients over 1–2
 * keys, on a coarse clock (so ops touch and overlap often, and some take no time), some left
 * unanswered, reads returning any value written or the initial one (so both verdicts occur).
 * The same shapes serve the account model: writes become deposits, reads withdrawals of small
 * amounts, accepted or rejected at random (so balances run close to zero and both verdicts
 * occur).
 */

interface Draft {
  readonly client: number;
  readonly gap: number;
  readonly duration: number;
  readonly isWrite: boolean;
  readonly key: number;
  readonly readChoice: number;
  readonly isUnanswered: boolean;
}

const draftArbitrary = (clientCount: number, keyCount: number): fc.Arbitrary<Draft> =>
  fc.record({
    client: fc.integer({ min: 0, max: clientCount - 1 }),
    gap: fc.integer({ min: 0, max: 3 }),
    duration: fc.integer({ min: 0, max: 4 }),
    isWrite: fc.boolean(),
    key: fc.integer({ min: 0, max: keyCount - 1 }),
    readChoice: fc.integer({ min: 0, max: 7 }),
    isUnanswered: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  });

const historyArbitrary: fc.Arbitrary<Operation[]> = fc
  .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 2 }))
  .chain(([clientCount, keyCount]) =>
    fc.array(draftArbitrary(clientCount, keyCount), { minLength: 1, maxLength: 7 }),
  )
  .map((drafts) => {
    const free = [0, 0, 0];
    const closed = [false, false, false];
    const ops: Operation[] = [];
    drafts.forEach((draft, id) => {
      // An unanswered op is its client's last: the client never hears back.
      if (closed[draft.client] === true) return;
      const invokeUs = (free[draft.client] ?? 0) + draft.gap;
      const completeUs = draft.isUnanswered ? null : invokeUs + draft.duration;
      free[draft.client] = completeUs ?? invokeUs;
      closed[draft.client] = draft.isUnanswered;
      const common = {
        id,
        client: `c${draft.client + 1}`,
        key: `k${draft.key}`,
        invokeUs,
        completeUs,
      };
      if (draft.isWrite) ops.push({ ...common, kind: 'write', value: id + 1 });
      else {
        const result = draft.readChoice === 0 ? null : draft.readChoice;
        ops.push({ ...common, kind: 'read', ...(draft.isUnanswered ? {} : { result }) });
      }
    });
    return ops;
  });

/** The register history's shape as account ops: deposits and withdrawals of 1–3. */
function asAccountOps(ops: readonly Operation[]): Operation[] {
  return ops.map((op): Operation => {
    const amount = 1 + (op.id % 3);
    const answered = op.completeUs !== null;
    if (op.kind === 'write')
      return { ...op, kind: 'deposit', value: amount, ...(answered ? { result: 'accepted' } : {}) };
    const { result, ...rest } = op;
    const outcome = typeof result === 'number' && result % 2 === 0 ? 'rejected' : 'accepted';
    return { ...rest, kind: 'withdraw', value: amount, ...(answered ? { result: outcome } : {}) };
  });
}

const accountHistoryArbitrary = historyArbitrary.map(asAccountOps);

describe('the searches agree with exhaustion', () => {
  it('linearizability (per key, memoised) equals brute force over the whole history', () => {
    const seen = { ok: 0, violated: 0 };
    fc.assert(
      fc.property(historyArbitrary, (ops) => {
        const verdict = checkLinearizability(buildHistory(ops));
        const expected = isLinearizableByBruteForce(ops, registerModel());
        expect(verdict.status).toBe(expected ? 'ok' : 'violated');
        seen[expected ? 'ok' : 'violated']++;
        if (!expected) {
          // The witness is itself a violation.
          const witness = ops.filter((op) => verdict.violations[0]?.ops.includes(op.id));
          expect(isLinearizableByBruteForce(witness, registerModel())).toBe(false);
        }
      }),
      { numRuns: 1500, seed: 19 },
    );
    // Both answers occurred, so the comparison meant something.
    expect(seen.ok).toBeGreaterThan(100);
    expect(seen.violated).toBeGreaterThan(100);
  });

  it('sequential consistency equals brute force over the whole history', () => {
    fc.assert(
      fc.property(historyArbitrary, (ops) => {
        const verdict = checkSequentialConsistency(buildHistory(ops));
        const expected = isSequentialByBruteForce(ops, registerModel());
        expect(verdict.status).toBe(expected ? 'ok' : 'violated');
      }),
      { numRuns: 1500, seed: 23 },
    );
  });

  it('on accounts: both searches equal brute force, and each witness is itself a violation', () => {
    const model = accountModel();
    const closeWitness = model.closeWitness ?? ((part: readonly Operation[]) => [...part]);
    const seen = { ok: 0, violated: 0, sequentialViolated: 0 };
    fc.assert(
      fc.property(accountHistoryArbitrary, (ops) => {
        const history = buildHistory(ops);
        const options = { model: 'account' } as const;
        const linearizable = checkLinearizability(history, options);
        const expected = isLinearizableByBruteForce(ops, model);
        expect(linearizable.status).toBe(expected ? 'ok' : 'violated');
        seen[expected ? 'ok' : 'violated']++;
        const witnessOf = (ids: readonly number[] | undefined) =>
          ops.filter((op) => ids?.includes(op.id));
        if (!expected)
          expect(
            isLinearizableByBruteForce(witnessOf(linearizable.violations[0]?.ops), model),
          ).toBe(false);
        // The closure is what makes a witness a proof: a closed part of a linearizable (or
        // sequentially consistent) history is so too. Two parts: every other op, the first half.
        const parts = [ops.filter((op) => op.id % 2 === 0), ops.slice(0, ops.length >> 1)];
        for (const part of parts) {
          if (expected)
            expect(isLinearizableByBruteForce(closeWitness(part, ops, true), model)).toBe(true);
          if (isSequentialByBruteForce(ops, model))
            expect(isSequentialByBruteForce(closeWitness(part, ops, false), model)).toBe(true);
        }
        const sequential = checkSequentialConsistency(history, options);
        const isSequential = isSequentialByBruteForce(ops, model);
        expect(sequential.status).toBe(isSequential ? 'ok' : 'violated');
        if (!isSequential) {
          seen.sequentialViolated++;
          expect(isSequentialByBruteForce(witnessOf(sequential.violations[0]?.ops), model)).toBe(
            false,
          );
        }
      }),
      { numRuns: 1500, seed: 29 },
    );
    expect(seen.ok).toBeGreaterThan(100);
    expect(seen.violated).toBeGreaterThan(100);
    expect(seen.sequentialViolated).toBeGreaterThan(50);
  });
});

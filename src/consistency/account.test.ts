import { describe, expect, it } from 'vitest';
import { isLinearizableByBruteForce } from './bruteForce.ts';
import { accountSessionNote, checkConsistency, checkLinearizability } from './check.ts';
import { buildHistory, HistoryError, type Operation } from './history.ts';
import { accountModel, impossible } from './models.ts';
import { checkSessionGuarantees } from './session.ts';
import { deposit, resetIds, withdraw } from './testHistories.ts';

/*
 * The account model (deposit / withdraw, no overdraft) on known histories: what it accepts,
 * what it refuses, unknown outcomes, the witness it keeps and the sentence it gives.
 */

const account = { model: 'account' } as const;

function lin(ops: Operation[]) {
  return checkLinearizability(buildHistory(ops), account);
}

describe('the account model, step by step', () => {
  const model = accountModel();
  resetIds();

  it('takes a deposit always, and a withdrawal exactly when the balance covers it', () => {
    expect(model.step(0, deposit('c1', 50, 0, 1))).toBe(50);
    expect(model.step(50, withdraw('c1', 50, 'accepted', 0, 1))).toBe(0);
    expect(model.step(49, withdraw('c1', 50, 'accepted', 0, 1))).toBe(impossible);
    // Rejected: legal only when the balance falls short (strictly), and changes nothing.
    expect(model.step(49, withdraw('c1', 50, 'rejected', 0, 1))).toBe(49);
    expect(model.step(50, withdraw('c1', 50, 'rejected', 0, 1))).toBe(impossible);
  });

  it('places an op of unknown outcome as one that took effect, which needs the funds', () => {
    expect(model.step(80, withdraw('c1', 50, null, 0, null))).toBe(30);
    expect(model.step(10, withdraw('c1', 50, null, 0, null))).toBe(impossible);
    expect(model.step(10, deposit('c1', 5, 0, null))).toBe(15);
  });

  it('refuses what is not an account op, and a deposit said to be rejected', () => {
    expect(model.step(10, { ...deposit('c1', 5, 0, 1), result: 'rejected' })).toBe(impossible);
    expect(
      model.step(10, {
        id: 99,
        client: 'c1',
        key: 'x',
        kind: 'read',
        result: 10,
        invokeUs: 0,
        completeUs: 1,
      }),
    ).toBe(impossible);
  });
});

describe('account histories', () => {
  it('accepts deposits and withdrawals that some order keeps covered', () => {
    resetIds();
    // c2's withdrawal of 80 overlaps c1's deposit of 50: it may come after it.
    const ops = [
      deposit('c1', 40, 0, 100),
      deposit('c1', 50, 200, 600),
      withdraw('c2', 80, 'accepted', 300, 500),
      withdraw('c3', 20, 'rejected', 700, 800),
    ];
    expect(lin(ops)).toMatchObject({ status: 'ok', violations: [] });
  });

  it('refuses a withdrawal accepted though the balance cannot have covered it', () => {
    resetIds();
    const ops = [
      deposit('c1', 30, 0, 100),
      deposit('c2', 20, 150, 250),
      withdraw('c3', 70, 'accepted', 300, 400),
      deposit('c1', 100, 500, 600),
    ];
    const verdict = lin(ops);
    expect(verdict.status).toBe('violated');
    const [violation] = verdict.violations;
    // The later deposit comes after the withdrawal in every order: not part of the witness.
    expect(violation?.ops).toEqual([0, 1, 2]);
    expect(violation?.sentence).toBe(
      "c3's withdrawal of 70 from x, sent at 0.30 s, was accepted at 0.40 s, but the account cannot have held more than 50 then (deposits of 30 and 20 may come before it).",
    );
  });

  it('refuses a withdrawal rejected though the balance covered it', () => {
    resetIds();
    const ops = [
      deposit('c1', 100, 0, 100),
      withdraw('c2', 30, 'accepted', 150, 400),
      withdraw('c3', 60, 'rejected', 200, 300),
    ];
    const verdict = lin(ops);
    expect(verdict.status).toBe('violated');
    expect(verdict.violations[0]?.ops).toEqual([0, 1, 2]);
    expect(verdict.violations[0]?.sentence).toBe(
      "c3's withdrawal of 60 from x, sent at 0.20 s, was rejected at 0.30 s for want of funds, but the account held at least 70 then (a deposit of 100 must come before it, a withdrawal of 30 may).",
    );
    // Taking the whole balance is allowed, so a rejection of exactly the balance is wrong too.
    resetIds();
    expect(lin([deposit('c1', 60, 0, 100), withdraw('c2', 60, 'rejected', 200, 300)]).status).toBe(
      'violated',
    );
  });

  it('counts and sums the amounts when there are many', () => {
    resetIds();
    const deposits = [10, 20, 30, 40, 50].map((amount, index) =>
      deposit('c1', amount, index * 100, index * 100 + 50),
    );
    const verdict = lin([...deposits, withdraw('c2', 100, 'rejected', 600, 700)]);
    expect(verdict.violations[0]?.sentence).toBe(
      "c2's withdrawal of 100 from x, sent at 0.60 s, was rejected at 0.70 s for want of funds, but the account held at least 150 then (5 deposits, 150 in all, must come before it).",
    );
  });

  it('lets an unanswered op take effect or not, whichever explains the rest', () => {
    resetIds();
    // The unanswered deposit must have landed for the withdrawal of 80 to be covered…
    const landed = [
      deposit('c1', 50, 0, null),
      deposit('c2', 40, 10, 20),
      withdraw('c3', 80, 'accepted', 100, 200),
    ];
    expect(lin(landed).status).toBe('ok');
    resetIds();
    // …and must not have, for the rejection of 60; either is a legal history.
    const lost = [
      deposit('c1', 50, 0, null),
      deposit('c2', 40, 10, 20),
      withdraw('c3', 60, 'rejected', 100, 200),
    ];
    expect(lin(lost).status).toBe('ok');
    resetIds();
    // But not both at once: the acceptance needs it, the later rejection cannot have it.
    const both = [
      deposit('c1', 50, 0, null),
      deposit('c2', 40, 10, 20),
      withdraw('c3', 80, 'accepted', 100, 200),
      withdraw('c3', 5, 'rejected', 300, 400),
    ];
    expect(lin(both).status).toBe('violated');
  });

  it('keeps every change that may come before a kept op in the witness, so it proves the whole', () => {
    resetIds();
    // Two writers each lost the other's deposit (a lost update): the rejection of 15 shows it
    // only with both deposits, and the withdrawal of 10 in between.
    const ops = [
      deposit('c1', 10, 0, 100),
      deposit('c2', 10, 50, 150),
      withdraw('c3', 10, 'accepted', 200, 300),
      withdraw('c1', 5, 'rejected', 400, 500),
      deposit('c2', 7, 600, 700),
    ];
    const verdict = lin(ops);
    expect(verdict.status).toBe('violated');
    const witness = ops.filter((op) => verdict.violations[0]?.ops.includes(op.id));
    expect(witness.map((op) => op.id)).toEqual([0, 1, 2, 3]);
    expect(isLinearizableByBruteForce(witness, accountModel())).toBe(false);
  });

  it('says where the search stuck when no simple bound shows the anomaly', () => {
    resetIds();
    // Two withdrawals of 10 overlap each other and the one deposit of 10 that could cover
    // either, not both; before them, c4's changes, which the witness keeps (they come first).
    const before = [0, 1, 2].flatMap((round) => [
      deposit('c4', 5, round * 40, round * 40 + 10),
      withdraw('c4', 5, 'accepted', round * 40 + 20, round * 40 + 30),
    ]);
    const ops = [
      ...before,
      deposit('c1', 10, 200, 300),
      withdraw('c2', 10, 'accepted', 250, 350),
      withdraw('c3', 10, 'accepted', 260, 360),
    ];
    const verdict = lin(ops);
    expect(verdict.violations[0]?.ops).toHaveLength(9);
    expect(verdict.violations[0]?.sentence).toBe(
      'No order of these 9 operations respects real time and gives what an account that never goes below zero would: the longest legal order found places 8 of them, then cannot place c3 withdrew 10 from x, accepted (0.26–0.36 s), which had to come next.',
    );
  });

  it('checks each account alone, and names the key of a violation', () => {
    resetIds();
    const ops = [
      deposit('c1', 10, 0, 100, 'acct-1'),
      withdraw('c2', 10, 'accepted', 200, 300, 'acct-2'),
      withdraw('c1', 10, 'accepted', 200, 300, 'acct-1'),
    ];
    const verdict = lin(ops);
    expect(verdict.violations.map((violation) => violation.key)).toEqual(['acct-2']);
    expect(verdict.violations[0]?.sentence).toMatch(/^c2's withdrawal of 10 from acct-2/);
  });

  it('starts from the initial balance it is given', () => {
    resetIds();
    const ops = [withdraw('c1', 10, 'accepted', 0, 100)];
    expect(checkLinearizability(buildHistory(ops), { model: 'account', initial: 10 }).status).toBe(
      'ok',
    );
    expect(lin(ops).status).toBe('violated');
  });
});

describe('checkConsistency on accounts', () => {
  it('checks linearizability and sequential consistency, and says why sessions do not apply', () => {
    resetIds();
    const ops = [deposit('c1', 30, 0, 100), withdraw('c2', 70, 'accepted', 300, 400)];
    const verdicts = checkConsistency(ops, account);
    expect(verdicts.map((verdict) => [verdict.model, verdict.status])).toEqual([
      ['linearizable', 'violated'],
      ['sequential', 'violated'],
      ['read-your-writes', 'inapplicable'],
      ['monotonic-reads', 'inapplicable'],
      ['monotonic-writes', 'inapplicable'],
      ['writes-follow-reads', 'inapplicable'],
    ]);
    expect(verdicts[2]?.note).toBe(accountSessionNote);
    expect(verdicts[1]?.violations[0]?.sentence).toBe(
      "No order of these 2 operations keeps each client's own order and gives what an account that never goes below zero would: c1 deposited 30 to x (0.00–0.10 s); c2 withdrew 70 from x, accepted (0.30–0.40 s).",
    );
  });

  it('leaves accounts out of the session checks when they are asked directly, saying why', () => {
    resetIds();
    const ops = [deposit('c1', 30, 0, 100), withdraw('c1', 70, 'accepted', 300, 400)];
    const verdicts = checkSessionGuarantees(buildHistory(ops).ops);
    expect(verdicts.map((verdict) => verdict.status)).toEqual(Array(4).fill('inapplicable'));
    expect(verdicts[0]?.note).toMatch(/key x has deposit operations, not a register's reads/);
  });

  it('finds sequentially consistent what only real time rules out', () => {
    resetIds();
    // The withdrawal was answered before the deposit was sent; by client order alone it may
    // come after it.
    const ops = [withdraw('c1', 10, 'accepted', 0, 100), deposit('c2', 10, 200, 300)];
    const verdicts = checkConsistency(ops, account);
    expect(verdicts.slice(0, 2).map((verdict) => verdict.status)).toEqual(['violated', 'ok']);
  });

  it('refuses account ops without an amount or with an outcome they cannot have', () => {
    resetIds();
    const bad: Operation[] = [
      { ...withdraw('c1', 10, 'accepted', 0, 100), value: 'ten' },
      { ...withdraw('c2', 10, 'accepted', 0, 100), result: 'maybe' },
      { ...withdraw('c3', 10, 'accepted', 0, null) },
      { ...withdraw('c4', 10, null, 0, 100) },
    ];
    try {
      buildHistory(bad);
      expect.unreachable('a bad history was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(HistoryError);
      expect((error as HistoryError).problems).toEqual([
        "op 0: a withdraw's amount must be a finite number",
        'op 1: a withdraw\'s outcome must be "accepted" or "rejected"',
        'op 2: an outcome without an answer',
        'op 3: a withdrawal answered without its outcome',
      ]);
    }
  });
});

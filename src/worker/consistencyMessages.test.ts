import { describe, expect, it } from 'vitest';
import { handleConsistencyRequest } from './consistencyMessages.ts';

const staleRead = [
  { id: 0, client: 'c1', key: 'x', kind: 'write', value: 1, invokeUs: 0, completeUs: 1_000_000 },
  {
    id: 1,
    client: 'c1',
    key: 'x',
    kind: 'write',
    value: 2,
    invokeUs: 2_000_000,
    completeUs: 4_050_000,
  },
  {
    id: 2,
    client: 'c2',
    key: 'x',
    kind: 'read',
    result: 1,
    invokeUs: 4_200_000,
    completeUs: 4_300_000,
  },
];

describe('consistency worker messages', () => {
  it('answers a check with every verdict, paired by request id', () => {
    const reply = handleConsistencyRequest({ type: 'check', requestId: 4, ops: staleRead });
    expect(reply.type).toBe('verdicts');
    if (reply.type !== 'verdicts') return;
    expect(reply.requestId).toBe(4);
    expect(reply.verdicts.map((verdict) => verdict.model)).toEqual([
      'linearizable',
      'sequential',
      'read-your-writes',
      'monotonic-reads',
      'monotonic-writes',
      'writes-follow-reads',
    ]);
    expect(reply.verdicts[0]?.violations[0]?.sentence).toBe(
      "c2 read 1 at 4.20 s after c1's write of 2 had been acknowledged at 4.05 s.",
    );
  });

  it('passes the options through', () => {
    const reply = handleConsistencyRequest({
      type: 'check',
      requestId: 5,
      ops: staleRead,
      options: { model: 'register', initial: 0, budget: 1, shrink: { maxChecks: 0, maxSteps: 0 } },
    });
    expect(reply).toMatchObject({ type: 'verdicts', requestId: 5 });
    if (reply.type === 'verdicts') expect(reply.verdicts[0]?.status).toBe('gave-up');
  });

  it('refuses a malformed request with the path of each problem', () => {
    const reply = handleConsistencyRequest({
      type: 'check',
      requestId: 6,
      ops: [
        { ...staleRead[0], invokeUs: -5 },
        { ...staleRead[1], kind: 'cas' },
      ],
    });
    expect(reply).toEqual({
      type: 'failed',
      requestId: 6,
      problems: [
        'ops.0.invokeUs: Invalid value: Expected >=0 but received -5',
        'ops.1.kind: Invalid type: Expected ("read" | "write" | "append" | "deposit" | "withdraw") but received "cas"',
      ],
    });
    expect(handleConsistencyRequest('nonsense')).toMatchObject({ type: 'failed', requestId: null });
  });

  it('checks an account history (Event Sourcing) with the account model', () => {
    const account = { client: 'c1', key: 'acct-1', invokeUs: 0, completeUs: 100 };
    const reply = handleConsistencyRequest({
      type: 'check',
      requestId: 8,
      ops: [
        { ...account, id: 1, kind: 'deposit', value: 30, result: 'accepted' },
        {
          ...account,
          id: 2,
          kind: 'withdraw',
          value: 70,
          result: 'accepted',
          invokeUs: 200,
          completeUs: 300,
        },
      ],
      options: { model: 'account', initial: 0 },
    });
    expect(reply.type).toBe('verdicts');
    if (reply.type !== 'verdicts') return;
    expect(reply.verdicts.map((verdict) => verdict.status)).toEqual([
      'violated',
      'violated',
      'inapplicable',
      'inapplicable',
      'inapplicable',
      'inapplicable',
    ]);
  });

  it('refuses a history that breaks the rules, naming the op', () => {
    const reply = handleConsistencyRequest({
      type: 'check',
      requestId: 7,
      ops: [staleRead[0], { ...staleRead[1], id: 0 }],
    });
    expect(reply).toEqual({ type: 'failed', requestId: 7, problems: ['op 0: id used twice'] });
  });
});

import { describe, expect, it } from 'vitest';
import type { RecordedCommand } from '../../engine/types.ts';
import { mirrorDecision, newCommands } from './mirror.ts';
import { sideInfoFixture } from './testInfo.ts';

const full = sideInfoFixture('baseline');
const noDependency = sideInfoFixture('baseline', false);

describe('mirrorDecision', () => {
  it('passes on node faults whose node exists on the other side', () => {
    const crash = { type: 'node.crash', node: 'dependency' } as const;
    expect(mirrorDecision(crash, full, null)).toEqual({ ok: true, command: crash, note: null });
    expect(mirrorDecision({ type: 'net.heal' }, noDependency, null).ok).toBe(true);
  });

  it('refuses a fault on a node the other side does not have, saying which', () => {
    const decision = mirrorDecision({ type: 'node.crash', node: 'dependency' }, noDependency, null);
    expect(decision).toEqual({ ok: false, reason: 'it has no node dependency' });
    const isolate = mirrorDecision({ type: 'net.isolate', node: 'cache' }, full, null);
    expect(isolate.ok).toBe(false);
  });

  it('needs both ends of a link and the link itself', () => {
    const slowLink = {
      type: 'link.set',
      from: 'service',
      to: 'dependency',
      lossProbability: 0.5,
    } as const;
    expect(mirrorDecision(slowLink, full, null).ok).toBe(true);
    expect(mirrorDecision(slowLink, noDependency, null)).toEqual({
      ok: false,
      reason: 'it has no node dependency',
    });
    const unlinked = mirrorDecision(
      { type: 'link.hold', from: 'client', to: 'dependency' },
      full,
      null,
    );
    expect(unlinked).toEqual({ ok: false, reason: 'client and dependency are not linked there' });
  });

  it('keeps the nodes of a partition that exist, and refuses one with a single group left', () => {
    const partition = {
      type: 'net.partition',
      groups: [['client'], ['service', 'dependency']],
    } as const;
    expect(mirrorDecision(partition, noDependency, null)).toEqual({
      ok: true,
      command: { type: 'net.partition', groups: [['client'], ['service']] },
      note: 'left out dependency, which that side does not have',
    });
    const lonely = mirrorDecision(
      { type: 'net.partition', groups: [['client', 'service'], ['dependency']] },
      noDependency,
      null,
    );
    expect(lonely.ok).toBe(false);
    const cut = mirrorDecision(
      { type: 'net.cut', from: ['service'], to: ['dependency'] },
      noDependency,
      null,
    );
    expect(cut).toEqual({
      ok: false,
      reason: 'it has no node dependency, so one side of the cut is empty',
    });
  });

  it("checks a scenario fault against the other side's faults and the node's role", () => {
    const onService = { type: 'scenario.fault', fault: 'slow', node: 'service' } as const;
    expect(mirrorDecision(onService, full, null).ok).toBe(true);
    const onClient = mirrorDecision({ ...onService, node: 'client' }, full, null);
    expect(onClient).toEqual({
      ok: false,
      reason: 'Make slow does not apply to client there (a client)',
    });
    const unknown = mirrorDecision({ ...onService, fault: 'force-open' }, full, null);
    expect(unknown).toEqual({ ok: false, reason: 'it has no fault "force-open"' });
  });

  it('never overwrites the parameter the comparison varies', () => {
    const set = { type: 'param.set', key: 'rate', value: 8 } as const;
    expect(mirrorDecision(set, full, null).ok).toBe(true);
    expect(mirrorDecision(set, full, 'rate')).toEqual({
      ok: false,
      reason: '"Request rate" is the parameter this comparison varies',
    });
    expect(mirrorDecision({ type: 'param.set', key: 'pool', value: 2 }, full, null)).toEqual({
      ok: false,
      reason: 'Pool size cannot change during a run there',
    });
  });
});

describe('newCommands', () => {
  const crash: RecordedCommand = {
    atUs: 1000,
    event: 10,
    command: { type: 'node.crash', node: 'a' },
  };
  const heal: RecordedCommand = { atUs: 2000, event: 20, command: { type: 'net.heal' } };
  const restart: RecordedCommand = {
    atUs: 3000,
    event: 30,
    command: { type: 'node.restart', node: 'a' },
  };

  it('finds commands appended to the log', () => {
    expect(newCommands([crash], [crash, heal])).toEqual([heal]);
    expect(newCommands([], [crash])).toEqual([crash]);
    expect(newCommands([crash, heal], [crash, heal])).toEqual([]);
  });

  it('counts nothing new when an entry was removed and the rest replayed', () => {
    expect(newCommands([crash, heal, restart], [crash, restart])).toEqual([]);
  });

  it('finds a command given in the past, which cut the later ones', () => {
    const early: RecordedCommand = { atUs: 1500, event: 15, command: { type: 'net.heal' } };
    expect(newCommands([crash, heal, restart], [crash, early])).toEqual([early]);
  });
});

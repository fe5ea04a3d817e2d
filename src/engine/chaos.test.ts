import { describe, expect, it } from 'vitest';
import { chaosSchedule, linkTest } from './chaos.ts';
import { defaultLinkConfig } from './network.ts';
import type { Topology } from './types.ts';

const nodes = ['a', 'b', 'c', 'd', 'e'];
const durationUs = 20_000_000;

describe('chaos schedule', () => {
  it('is the same for a full mesh with or without a link test', () => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(chaosSchedule(seed, nodes, durationUs, () => true)).toEqual(
        chaosSchedule(seed, nodes, durationUs),
      );
    }
  });

  it('only makes existing links lossy in a listed topology', () => {
    const topology: Topology = {
      nodes: nodes.map((id) => ({ id, role: 'x', behaviour: undefined as never })),
      links: [
        ['a', 'b'],
        ['b', 'c'],
      ],
      linkConfig: defaultLinkConfig,
      linkOverrides: [{ between: ['d', 'e'], config: defaultLinkConfig }],
    };
    const isLinked = linkTest(topology);
    expect([isLinked('b', 'a'), isLinked('e', 'd'), isLinked('a', 'c')]).toEqual([
      true,
      true,
      false,
    ]);
    let linkCommands = 0;
    for (let seed = 1; seed <= 200; seed++) {
      for (const { command } of chaosSchedule(seed, nodes, durationUs, isLinked)) {
        if (command.type !== 'link.set') continue;
        linkCommands++;
        expect(isLinked(command.from, command.to), JSON.stringify(command)).toBe(true);
      }
    }
    expect(linkCommands).toBeGreaterThan(0);
  });

  it('ends with everything healed, restarted and resumed', () => {
    const schedule = chaosSchedule(7, nodes, durationUs);
    const tail = schedule.filter((entry) => entry.atUs === schedule.at(-1)?.atUs);
    expect(tail[0]?.command).toEqual({ type: 'net.heal' });
    for (const node of nodes) {
      expect(tail.map((entry) => entry.command)).toContainEqual({ type: 'node.resume', node });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { SimError } from './errors.ts';
import { resolveParams } from './setup.ts';
import type { ParamSpec } from './types.ts';

const specs: Readonly<Record<string, ParamSpec>> = {
  nodeCount: {
    label: 'Nodes',
    default: 3,
    min: 2,
    max: 9,
    step: 1,
    unit: 'nodes',
    help: 'How many.',
  },
};

describe('resolveParams', () => {
  it('fills defaults and keeps given values', () => {
    expect(resolveParams(specs, {})).toEqual({ nodeCount: 3 });
    expect(resolveParams(specs, { nodeCount: 5 })).toEqual({ nodeCount: 5 });
  });

  it('rejects unknown names, inherited ones included', () => {
    for (const key of ['speed', 'toString', 'constructor', '__proto__']) {
      const given = JSON.parse(`{"${key}": 1}`) as Record<string, number>;
      expect(() => resolveParams(specs, given)).toThrow(SimError);
    }
  });
});

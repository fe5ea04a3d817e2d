import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioCatalogue } from './catalogue.ts';
import type { FromWorker, RunRequest } from './protocol.ts';
import { ManualScheduler } from './scheduler.ts';
import { decodeShareLink } from './shareLink.ts';
import {
  inheritedNames,
  linkArbitrary,
  outcomeFault,
  payloadOf,
} from './testing/linkArbitraries.ts';
import { createInProcessTransport } from './transport.ts';

/*
 * Share links are untrusted input. Property-based fuzzing with the generators `npm run soak`
 * runs at 10,000+ cases (small counts here): whatever the link, decoding returns, never throws,
 * and gives either a run that fits its scenario or a problem with a known code and a readable
 * message; and the host opening it always ends with a loaded run, never an error, with the
 * problem shown to the person as a notice.
 */

const fallback: RunRequest = {
  scenarioId: 'leader-election',
  seed: 1,
  variant: 'pattern',
  params: {},
  commands: [],
};

/** Opens `link` in a fresh host, as the page does, and returns what the host said. */
function openInHost(link: string): FromWorker[] {
  const transport = createInProcessTransport(scenarioCatalogue, new ManualScheduler(), {
    isSynchronous: true,
  });
  const said: FromWorker[] = [];
  transport.subscribe((message) => said.push(message));
  transport.send({ type: 'openLink', requestId: 1, link, fallback });
  transport.close();
  return said;
}

describe('share link fuzzing', () => {
  it('decodes every generated link to a fitting run or a clear problem, never throwing', () => {
    fc.assert(
      fc.property(linkArbitrary(scenarioCatalogue), ({ link, expected }) => {
        const decoded = decodeShareLink(link, scenarioCatalogue);
        expect(outcomeFault(decoded, expected, scenarioCatalogue)).toBeNull();
      }),
      { numRuns: 600 },
    );
  });

  it('opens every generated link in the host as a run, with a notice when the link was bad', () => {
    fc.assert(
      fc.property(linkArbitrary(scenarioCatalogue), ({ link }) => {
        const decoded = decodeShareLink(link, scenarioCatalogue);
        // Positions far into a run cost a long replay; decoding them is covered above.
        fc.pre(!decoded.ok || decoded.shared.positionUs <= 2_000_000);
        const said = openInHost(link);
        expect(said.filter((message) => message.type === 'error')).toEqual([]);
        const ready = said.find((message) => message.type === 'ready');
        expect(ready).toBeDefined();
        if (ready?.type !== 'ready') return;
        if (!decoded.ok) {
          expect(ready.run.scenarioId).toBe(fallback.scenarioId);
          expect(ready.notices.join(' ')).toContain(decoded.problem.message);
        } else if (ready.run.scenarioId !== decoded.shared.request.scenarioId) {
          // A link that decoded but could not be replayed falls back, saying so.
          expect(ready.notices.join(' ')).toMatch(/could not be replayed/);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('treats inherited object names as unknown parameters', () => {
    for (const name of inheritedNames) {
      const json = `{"v":1,"scenarioId":"leader-election","seed":1,"variant":"pattern","params":{"${name}":3},"commands":[]}`;
      const decoded = decodeShareLink(`#run=${payloadOf(json)}`, scenarioCatalogue);
      expect(decoded.ok, name).toBe(true);
      if (!decoded.ok) continue;
      expect(decoded.shared.request.params, name).toEqual({});
      expect(outcomeFault(decoded, 'ok', scenarioCatalogue), name).toBeNull();
    }
  });
});

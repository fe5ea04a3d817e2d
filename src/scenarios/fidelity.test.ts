import { describe, expect, it } from 'vitest';
import { getExperiment } from '../experiments/registry.ts';
import { scenarios } from './registry.ts';
import type { Fidelity } from './viewHints.ts';
import { getScenarioView } from './viewRegistry.ts';

/*
 * "How true is this?": every listed scenario says what it follows, models, leaves out and
 * reproduces, in whole sentences, and every experiment it names exists and measures that very
 * scenario (an experiment of another scenario would send the reader to the wrong figure).
 */

const sections = ['follows', 'modelled', 'leftOut', 'results'] as const;

/** A sentence is shown as it is: it must say something and end like a sentence. */
function sentenceProblem(where: string, text: string | undefined): string | null {
  if (text === undefined || text.trim() === '') return `${where} is empty`;
  return text.trimEnd().endsWith('.') ? null : `${where} does not end with a full stop: "${text}"`;
}

/** Every sentence of a fidelity block with where it stands, for the messages. */
function sentencesOf(fidelity: Fidelity): readonly (readonly [string, string | undefined])[] {
  const plain = (['follows', 'modelled', 'leftOut'] as const).flatMap((section) =>
    fidelity[section].map((text, index) => [`${section}[${index}]`, text] as const),
  );
  const results = fidelity.results.flatMap((result, index) => {
    const claim = [`results[${index}].claim`, result.claim] as const;
    return result.note === undefined
      ? [claim]
      : [claim, [`results[${index}].note`, result.note] as const];
  });
  return [...plain, ...results];
}

function experimentProblems(scenarioId: string, fidelity: Fidelity): string[] {
  return fidelity.results.flatMap((result, index) => {
    if (result.experiment === undefined) return [];
    const experiment = getExperiment(result.experiment);
    if (experiment === undefined) {
      return [`results[${index}] names an unknown experiment "${result.experiment}"`];
    }
    return experiment.scenarioId === scenarioId
      ? []
      : [`results[${index}]: "${result.experiment}" measures ${experiment.scenarioId}`];
  });
}

/** What is wrong with a scenario's fidelity block, one line each; empty when nothing is. */
function fidelityProblems(scenarioId: string, fidelity: Fidelity | undefined): string[] {
  if (fidelity === undefined) return [`${scenarioId}: no fidelity`];
  const empty = sections
    .filter((section) => fidelity[section].length === 0)
    .map((section) => `${section} is empty`);
  const sentences = sentencesOf(fidelity)
    .map(([where, text]) => sentenceProblem(where, text))
    .filter((problem) => problem !== null);
  return [...empty, ...sentences, ...experimentProblems(scenarioId, fidelity)].map(
    (problem) => `${scenarioId}: ${problem}`,
  );
}

const sound: Fidelity = {
  follows: ['A paper (2014).'],
  modelled: ['Terms.'],
  leftOut: ['Logs, so nothing about commits.'],
  results: [{ claim: 'A result.', isReproduced: true, experiment: 'keys-moved', note: 'Held.' }],
};

describe('fidelity ("How true is this?")', () => {
  it('is given, in whole sentences, for every listed scenario', () => {
    const listed = scenarios.filter((scenario) => !scenario.isHidden);
    const problems = listed.flatMap((scenario) =>
      fidelityProblems(scenario.id, getScenarioView(scenario.id)?.fidelity),
    );
    expect(problems).toEqual([]);
  });

  it('accepts a sound block and reports each kind of problem', () => {
    expect(fidelityProblems('sharding', sound)).toEqual([]);
    expect(fidelityProblems('sharding', undefined)).toEqual(['sharding: no fidelity']);
    expect(fidelityProblems('sharding', { ...sound, leftOut: [] })).toEqual([
      'sharding: leftOut is empty',
    ]);
    expect(fidelityProblems('sharding', { ...sound, modelled: ['Terms', ' '] })).toEqual([
      'sharding: modelled[0] does not end with a full stop: "Terms"',
      'sharding: modelled[1] is empty',
    ]);
    const badNote = [{ claim: 'A result.', isReproduced: false, note: '' }];
    expect(fidelityProblems('sharding', { ...sound, results: badNote })).toEqual([
      'sharding: results[0].note is empty',
    ]);
  });

  it('reports an unknown experiment and one that measures another scenario', () => {
    const unknown = [{ claim: 'A result.', isReproduced: true, experiment: 'no-such' }];
    expect(fidelityProblems('sharding', { ...sound, results: unknown })).toEqual([
      'sharding: results[0] names an unknown experiment "no-such"',
    ]);
    expect(fidelityProblems('ambassador', sound)).toEqual([
      'ambassador: results[0]: "keys-moved" measures sharding',
    ]);
  });
});

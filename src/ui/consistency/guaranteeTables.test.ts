import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioViews } from '../../scenarios/viewRegistry.ts';

/*
 * The guarantee tables the panel shows are copies of the tables in the scenarios' READMEs,
 * which each scenario's consistency.test.ts recomputes from runs. This keeps the copies equal to
 * the READMEs, so the app never shows a table the runs no longer give.
 */

const columns = [
  'linearizable',
  'sequential',
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
] as const;

/** The README's consistency table: the Markdown table whose header names the models. */
function readmeTable(id: string): string[][] {
  const lines = readFileSync(new URL(`../../scenarios/${id}/README.md`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('|'));
  const header = lines.findIndex((line) => line.includes('| linearizable'));
  if (header < 0) throw new Error(`${id}'s README has no consistency table`);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    if (cells.length !== 2 + columns.length) break;
    rows.push(cells);
  }
  return rows;
}

const withTables = scenarioViews.filter((view) => view.consistency !== undefined);

describe('the guarantee tables in the view hints', () => {
  it('exist for the scenarios that record histories', () => {
    expect(withTables.map((view) => view.id).sort()).toEqual([
      'cqrs',
      'event-sourcing',
      'sharding',
    ]);
  });

  it.each(withTables.map((view) => [view.id, view] as const))(
    'equal the table in the %s README',
    (id, view) => {
      const shown = (view.consistency?.rows ?? []).map((row) => [
        row.label,
        row.seeds.join(', '),
        ...columns.map((model) => row.cells[model]),
      ]);
      expect(shown).toEqual(readmeTable(id));
      expect(shown.length).toBeGreaterThan(3);
    },
  );
});

import type { ScenarioCatalogue } from '../../worker/runs.ts';
import { runCli } from '../cli.ts';

/** Runs the CLI in-process on `catalogue`, with what it printed to stdout and stderr. */
export async function captureCli(
  argv: string[],
  catalogue: ScenarioCatalogue,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    { out: (text) => (out += text), err: (text) => (err += text) },
    catalogue,
  );
  return { code, out, err };
}

import { runCli } from './cli.ts';

// The `npm run sim` entry: everything else is in cli.ts, which tests run in-process.
process.exitCode = runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

import { ExitCode, runCli } from './cli.ts';

// A reader that stops early (`npm run sim -- list | head -1`) closes the pipe: that ends the
// output, it is not a failure worth a stack trace. Any other output failure gets one line.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode);
  process.stderr.write(`distsim: cannot write the output (${error.message})\n`);
  process.exit(ExitCode.internalError);
});

// The `npm run sim` entry: everything else is in cli.ts, which tests run in-process.
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

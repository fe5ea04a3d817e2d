// `npm start`: build the production app, serve it, and say where to open it.
//
// The server is `vite preview` on 127.0.0.1 (STACK.md P10) with --strictPort, so the address we
// print is the one actually served: if the port is taken, Vite stops with an error instead of
// quietly moving to another port. PORT overrides the default 4173.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const host = '127.0.0.1';
const portText = process.env.PORT ?? '4173';
const port = Number(portText);
const isWindows = process.platform === 'win32';

if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
  console.error(`start: PORT must be a whole number from 1 to 65535, got "${portText}".`);
  process.exit(2);
}
const url = `http://${host}:${port}/`;

let child = null;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    // Forward the signal so Vite shuts down cleanly, then leave when it has exited (below).
    stopping = true;
    if (child) child.kill(signal);
    else process.exit(0);
  });
}

function vite(args) {
  const binary = path.join(root, 'node_modules', '.bin', isWindows ? 'vite.cmd' : 'vite');
  child = spawn(isWindows ? `"${binary}"` : binary, args, {
    cwd: root,
    stdio: 'inherit',
    shell: isWindows,
  });
  child.on('error', (error) => {
    console.error(`start: could not run ${binary}: ${error.message}`);
  });
  return child;
}

function exited(childProcess) {
  return new Promise((resolve) => {
    childProcess.on('close', (code, signal) => resolve({ code, signal }));
  });
}

/** Resolves true once the server answers a request, false if it exits or 30 s pass first. */
async function waitUntilServing(server, serverExit) {
  let hasExited = false;
  void serverExit.then(() => (hasExited = true));
  const deadline = Date.now() + 30_000;
  while (!hasExited && Date.now() < deadline) {
    if (await answers()) return server.exitCode === null;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return false;
}

function answers() {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode !== undefined && response.statusCode < 500);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Something else answering on the port would pass for our server, so refuse to start then. */
function portIsFree() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

const otherPort = port === 4173 ? 4174 : 4173;
const portHint = `Stop whatever holds it, or choose another port: PORT=${otherPort} npm start`;
if (!(await portIsFree())) {
  console.error(`start: ${host}:${port} is already in use. ${portHint}`);
  process.exit(1);
}

const build = await exited(vite(['build']));
child = null;
if (stopping) process.exit(0);
if (build.code !== 0) {
  console.error(`\nstart: the production build failed (${build.signal ?? `exit ${build.code}`}).`);
  process.exit(build.code ?? 1);
}

const server = vite(['preview', '--host', host, '--port', String(port), '--strictPort']);
const serverExit = exited(server);
if (await waitUntilServing(server, serverExit)) {
  console.log(`\nDistSim is running at ${url} — open it in a browser (Ctrl+C to stop)\n`);
} else if (!stopping) {
  console.error(`\nstart: the server did not come up at ${url}. ${portHint}`);
  server.kill('SIGTERM');
}

const { code, signal } = await serverExit;
if (stopping) {
  console.log('DistSim stopped.');
  process.exit(0);
}
process.exit(code ?? (signal ? 1 : 0));

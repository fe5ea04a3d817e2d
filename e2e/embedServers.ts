import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { headersFor, parseHeadersFile } from '../scripts/build/headersRules.ts';

/*
 * Two local servers on different ports, so two origins: the build served with the headers its
 * `_headers` file asks for (as Netlify or Cloudflare Pages would send them; vite preview sends
 * none), and a "someone else's site" that serves plain pages given by the test.
 */

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

abstract class LocalServer {
  private readonly server = http.createServer((request, response) => {
    void this.answer(request, response);
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${String(port)}`;
  }

  protected abstract answer(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void>;
}

/** The build at the root of its origin, each file with the headers `_headers` gives its path. */
export class HeadersServer extends LocalServer {
  private readonly buildDir: string;

  constructor(buildDir: string) {
    super();
    this.buildDir = buildDir;
  }

  protected async answer(request: http.IncomingMessage, response: http.ServerResponse) {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const relative = decodeURIComponent(pathname.slice(1)) || 'index.html';
    const file = path.resolve(this.buildDir, relative);
    if (!file.startsWith(this.buildDir + path.sep)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      const rules = parseHeadersFile(await readFile(path.join(this.buildDir, '_headers'), 'utf8'));
      response.writeHead(200, {
        ...headersFor(rules, pathname),
        'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  }
}

/** Someone else's site: the pages the test puts in `pages`, by path. */
export class HostSite extends LocalServer {
  readonly pages = new Map<string, string>();

  protected answer(request: http.IncomingMessage, response: http.ServerResponse) {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const page = this.pages.get(pathname);
    if (page === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'Content-Type': contentTypes['.html'] }).end(page);
    return Promise.resolve();
  }
}

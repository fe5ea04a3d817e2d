import type { Plugin } from 'vite';

/**
 * The built page's Content Security Policy: scripts, workers, styles, fetches and frames from the
 * app's own origin only; no inline script and no eval. Images may also be `data:` (the empty
 * favicon) and `blob:` (images the page makes itself; neither kind can reach the network).
 *
 * `style-src` needs no 'unsafe-inline': the app's styles are built stylesheets, and React `style`
 * props and d3 `.style()` set properties through the CSSOM (element.style), which CSP allows; only
 * inline <style> elements and markup `style="…"` attributes are blocked, and the app has neither.
 */
export const pageDirectives: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'worker-src': ["'self'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'style-src': ["'self'"],
  // The compare page embeds the app itself, same-origin, in iframes.
  'frame-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
};

/**
 * What only a response header can say (a <meta> policy may not, and Chromium logs an error when
 * one tries): who may frame a page. The app only itself (the compare page frames its sides); the
 * embed anyone, since being framed by other sites is what it is for.
 */
export const appFrameAncestors = "frame-ancestors 'self'";
export const embedFrameAncestors = 'frame-ancestors *';

function policyText(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy as the built page's <meta http-equiv="Content-Security-Policy"> says it. */
export const pagePolicy = policyText(pageDirectives);

/** Headers every file of the build should have (README, "Deploying"). */
const commonHeaders: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The headers a static host should send with the app's files (README, "Deploying"). */
export const recommendedHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': `${pagePolicy}; ${appFrameAncestors}`,
  ...commonHeaders,
};

/** The same for embed.html, which any page may frame. */
export const embedHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': `${pagePolicy}; ${embedFrameAncestors}`,
  ...commonHeaders,
};

/**
 * The paths of the documents, as a host serving the build at a domain's root sees them: with
 * and without `.html`, since Cloudflare Pages drops the extension (redirecting to it).
 */
export const appDocumentPaths = ['/', '/index.html', '/index'] as const;
export const embedDocumentPaths = ['/embed.html', '/embed'] as const;

/** The <distsim-run> script, at a stable name next to index.html (vite.config.ts). */
export const webComponentFile = 'distsim-run.js';

/**
 * The headers in the `_headers` format Netlify and Cloudflare Pages read. Both apply every rule
 * whose path matches and join two values of one header with a comma, which for a Content Security
 * Policy means two policies, each enforced. So the rule for all files (`/*`) carries the page
 * policy without `frame-ancestors`, and each document adds a policy of that one directive: the
 * app's documents `'self'`, the embed's `*`. A `frame-ancestors 'self'` on `/*` could not be
 * lifted for the embed: a second policy can only forbid more.
 */
export function headersFile(): string {
  const rule = (path: string, headers: Readonly<Record<string, string>>): string[] => [
    path,
    ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`),
  ];
  return [
    ...rule('/*', { 'Content-Security-Policy': pagePolicy, ...commonHeaders }),
    ...appDocumentPaths.flatMap((path) =>
      rule(path, { 'Content-Security-Policy': appFrameAncestors }),
    ),
    ...embedDocumentPaths.flatMap((path) =>
      rule(path, { 'Content-Security-Policy': embedFrameAncestors }),
    ),
    // Other sites load the web component as a module script, which browsers fetch with CORS.
    ...rule(`/${webComponentFile}`, { 'Access-Control-Allow-Origin': '*' }),
    '',
  ].join('\n');
}

/**
 * A Vite plugin (build only) that puts the policy in the built index.html, first in <head> so it
 * governs everything after it, and writes `_headers` next to it. Build only, because the dev
 * server's hot reload relies on inline scripts the policy forbids.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'distsim:content-security-policy',
    apply: 'build',
    transformIndexHtml() {
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: pagePolicy },
          injectTo: 'head-prepend',
        },
      ];
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
    },
  };
}

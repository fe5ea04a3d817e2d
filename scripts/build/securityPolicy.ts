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
 * one tries): who may frame the app. Hosts that can set headers send these with the page.
 */
const headerOnlyDirectives: Readonly<Record<string, readonly string[]>> = {
  'frame-ancestors': ["'self'"],
};

function policyText(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The policy as the built page's <meta http-equiv="Content-Security-Policy"> says it. */
export const pagePolicy = policyText(pageDirectives);

/** The headers a static host should send with every file (README, "Deploying"). */
export const recommendedHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': policyText({ ...pageDirectives, ...headerOnlyDirectives }),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The same headers in the `_headers` format Netlify and Cloudflare Pages read. */
export function headersFile(): string {
  const lines = Object.entries(recommendedHeaders).map(([name, value]) => `  ${name}: ${value}`);
  return ['/*', ...lines, ''].join('\n');
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

import { describe, expect, it } from 'vitest';
import { headersFor, parseHeadersFile } from './headersRules.ts';
import { embedHeaders, headersFile, pagePolicy, recommendedHeaders } from './securityPolicy.ts';

/** The policies a browser enforces from one header value: a comma separates policies. */
function policiesOf(header: string | undefined): string[] {
  return (header ?? '').split(',').map((policy) => policy.trim());
}

describe('the content security policy', () => {
  it('allows no inline script, no eval and nothing from another origin', () => {
    expect(pagePolicy).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(pagePolicy).toContain("script-src 'self'");
    expect(pagePolicy).toContain("connect-src 'self'");
    expect(pagePolicy).toContain("object-src 'none'");
  });

  it('leaves frame-ancestors to the headers, where alone it works', () => {
    expect(pagePolicy).not.toContain('frame-ancestors');
    expect(recommendedHeaders['Content-Security-Policy']).toBe(
      `${pagePolicy}; frame-ancestors 'self'`,
    );
    expect(embedHeaders['Content-Security-Policy']).toBe(`${pagePolicy}; frame-ancestors *`);
  });

  it('writes the page policy for every path and a framing policy per document', () => {
    expect(headersFile().split('\n')).toEqual([
      '/*',
      `  Content-Security-Policy: ${pagePolicy}`,
      '  X-Content-Type-Options: nosniff',
      '  Referrer-Policy: no-referrer',
      '/',
      "  Content-Security-Policy: frame-ancestors 'self'",
      '/index.html',
      "  Content-Security-Policy: frame-ancestors 'self'",
      '/index',
      "  Content-Security-Policy: frame-ancestors 'self'",
      '/embed.html',
      '  Content-Security-Policy: frame-ancestors *',
      '/embed',
      '  Content-Security-Policy: frame-ancestors *',
      '/distsim-run.js',
      '  Access-Control-Allow-Origin: *',
      '',
    ]);
  });

  it('as a host combines the rules, the app refuses other framers and the embed takes any', () => {
    const rules = parseHeadersFile(headersFile());
    for (const path of ['/', '/index.html', '/index']) {
      const policies = policiesOf(headersFor(rules, path)['Content-Security-Policy']);
      expect(policies, path).toEqual([pagePolicy, "frame-ancestors 'self'"]);
    }
    for (const path of ['/embed.html', '/embed']) {
      const policies = policiesOf(headersFor(rules, path)['Content-Security-Policy']);
      expect(policies, path).toEqual([pagePolicy, 'frame-ancestors *']);
      // No policy that reaches the embed limits who frames it to its own origin.
      expect(policies.filter((policy) => policy.includes("frame-ancestors 'self'"))).toEqual([]);
    }
    // Other sites may load the web component's script (a module script is fetched with CORS).
    expect(headersFor(rules, '/distsim-run.js')['Access-Control-Allow-Origin']).toBe('*');
    // Scripts and workers get the page policy and the other headers, nothing about framing.
    expect(headersFor(rules, '/assets/sim.worker-abc.js')).toEqual({
      'Content-Security-Policy': pagePolicy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
  });
});

describe('reading a _headers file', () => {
  it('matches exact paths and splats, and joins repeated headers with a comma', () => {
    const rules = parseHeadersFile('# comment\n/*\n  A: 1\n/x\n  A: 2\n  B: 3\n/y/*\n  C: 4\n');
    expect(headersFor(rules, '/x')).toEqual({ A: '1, 2', B: '3' });
    expect(headersFor(rules, '/x/z')).toEqual({ A: '1' });
    expect(headersFor(rules, '/y/z.js')).toEqual({ A: '1', C: '4' });
  });

  it('refuses a header line before any path', () => {
    expect(() => parseHeadersFile('  A: 1\n')).toThrow(/Unreadable _headers line/);
  });
});

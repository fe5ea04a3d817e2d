import { describe, expect, it } from 'vitest';
import { headersFile, pagePolicy, recommendedHeaders } from './securityPolicy.ts';

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
  });

  it('writes the headers for every path in the _headers format', () => {
    expect(headersFile().split('\n')).toEqual([
      '/*',
      `  Content-Security-Policy: ${pagePolicy}; frame-ancestors 'self'`,
      '  X-Content-Type-Options: nosniff',
      '  Referrer-Policy: no-referrer',
      '',
    ]);
  });
});

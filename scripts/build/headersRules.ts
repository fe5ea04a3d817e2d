/*
 * How Netlify and Cloudflare Pages apply a `_headers` file, as far as the build's own file uses
 * it: a rule's path matches a request's path exactly, or up to a trailing `*` (a splat); every
 * matching rule applies, and two values of one header are joined with ", ". The e2e file server
 * uses it to send what such a host would, and the policy test checks the build's file with it.
 */

export interface HeaderRule {
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
}

/** Reads a `_headers` file: a path line, then indented `Name: value` lines; `#` comments. */
export function parseHeadersFile(text: string): HeaderRule[] {
  const rules: { path: string; headers: [string, string][] }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ path: line.trim(), headers: [] });
      continue;
    }
    const colon = line.indexOf(':');
    const rule = rules.at(-1);
    if (colon < 0 || rule === undefined) throw new Error(`Unreadable _headers line: "${line}".`);
    rule.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return rules;
}

function matches(rulePath: string, path: string): boolean {
  return rulePath.endsWith('*') ? path.startsWith(rulePath.slice(0, -1)) : rulePath === path;
}

/** The headers a host sends with `path`, names as the file spells them. */
export function headersFor(rules: readonly HeaderRule[], path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (!matches(rule.path, path)) continue;
    for (const [name, value] of rule.headers) {
      const before = out[name];
      out[name] = before === undefined ? value : `${before}, ${value}`;
    }
  }
  return out;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSP, CSP_HEADER, headersFile, SECURITY_HEADERS } from '../tools/csp-plugin';

const doc = readFileSync('docs/hosting.md', 'utf8');

describe('security headers for hosting', () => {
  it('the header policy is the page policy plus no framing, and allows no other origin', () => {
    expect(CSP_HEADER.startsWith(CSP)).toBe(true);
    expect(CSP_HEADER).toContain("frame-ancestors 'none'");
    expect(CSP_HEADER).not.toMatch(/https?:|\*/);
    expect(CSP_HEADER).toMatch(/connect-src 'self' blob: data:;/);
  });
  it('the _headers file written by the build has every header for every path', () => {
    const lines = headersFile().split('\n');
    expect(lines).toContain('/*');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(lines).toContain(`  ${k}: ${v}`);
    expect(doc).toContain(headersFile().split('\n').slice(1).join('\n').trim());
  });
  it('the nginx snippet in docs/hosting.md sends the same headers on every response', () => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(doc).toContain(`add_header ${k} "${v}" always;`);
  });
});

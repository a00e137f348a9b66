import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const options = { config: defaultConfig(), now: new Date('2026-01-15T12:00:00Z') };

const yamlish = fc.oneof(
  fc.string(),
  fc.constantFrom('id: OSSN-0001', 'title: x', 'date: 2014-01-01', 'status: published', 'verify:\n  - id: a\n    run: x\n    expect: { version: ">= 1" }', 'affects: [{product: a, ecosystem: deb}]', 'revisions: [{date: 2014-01-02, summary: s}]', 'layout: post', 'cve: [CVE-2014-0160]', '&a [*a]', '!!js/function x', '  - product: a', '   package: b', '     vendor: c', '- x', 'title: a: b', 'severity:high', 'run: >-', '  x: "a\\.b"', '  - { a: [b,'),
);
const markdownish = fc.oneof(fc.string(), fc.constantFrom('## Summary\n', '## Recommended Actions\n1. **Do.**\n   ```sh\n   x\n   ```\n   Verify: `a`\n', '<script>x</script>', '> > > q', '- a\n  - b', '[l](javascript:x)', '```ini file=/etc/x\na=b\n```'));

describe('lint never throws', () => {
  it('on arbitrary text, front matter and Markdown', () => {
    fc.assert(
      fc.property(fc.array(yamlish, { maxLength: 8 }), fc.array(markdownish, { maxLength: 8 }), fc.boolean(), (front, body, delimited) => {
        const text = delimited ? `---\n${front.join('\n')}\n---\n${body.join('\n')}` : front.join('\n') + body.join('\n');
        const parsed = parseNote('notes/OSSN-0001.md', text, options);
        const messages = [...parsed.messages, ...lintNote(parsed, options.config, options.now)];
        for (const m of messages) {
          expect(m.line).toBeGreaterThanOrEqual(1);
          expect(m.column).toBeGreaterThanOrEqual(1);
          expect(m.ruleId).toMatch(/^[a-z-]+$/);
        }
      }),
      // Pinned: an alias to an anchor never set (`*!`) once threw from the YAML reader.
      { numRuns: 400, examples: [[['*!'], [], true]] },
    );
  });

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const parsed = parseNote('notes/x.md', bytes, options);
        lintNote(parsed, options.config, options.now);
      }),
      { numRuns: 300 },
    );
  });
});

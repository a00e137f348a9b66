/** A step's field lines keep their own lines on the page and the wiki (`withStepFieldBreaks`). */
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/parse.ts';
import { pipelineHtml, safeHtml } from '../../src/render/site/body.ts';
import { withStepFieldBreaks } from '../../src/model/step-fields.ts';

const body = (actions: string, other = 'Role: this line is prose, outside the steps.\nKind: so is this one.') =>
  `## Summary\n\nA summary.\n\n## Discussion\n\n${other}\n\n## Recommended Actions\n\n${actions}\n\n## Contacts / References\n\n- Nobody\n`;

/** The page's HTML, which the sanitizing pipeline writes alike. */
function html(markdown: string): string {
  const tree = withStepFieldBreaks(parseMarkdown(markdown));
  const written = safeHtml(tree);
  expect(written).toBe(pipelineHtml(tree.children));
  return written;
}

describe('withStepFieldBreaks', () => {
  it('starts each field line of a step on a line of its own, a continued line staying where it is', () => {
    const page = html(
      body(
        [
          '1. **Turn on TLS.** Edit the file.',
          '',
          '   Role: compute nodes',
          '   kind: configure',
          '   Verify: `libvirt-tls`, `libvirt-no-tcp`',
          '   Rollback: set listen_tls back to 0',
          '   and restart libvirtd.',
        ].join('\n'),
      ),
    );
    expect(page).toContain(
      '<p>Role: compute nodes<br>\nkind: configure<br>\nVerify: <code>libvirt-tls</code>, <code>libvirt-no-tcp</code><br>\nRollback: set listen_tls back to 0\nand restart libvirtd.</p>',
    );
  });

  it('breaks before a field line that follows prose or inline code, in a list, a ### step or a quote', () => {
    const page = html(body('### Restart\n\nRestart the service `nova-compute`\nRole: compute nodes\n\n> Quoted.\n> Verify: `x`'));
    expect(page).toContain('<p>Restart the service <code>nova-compute</code><br>\nRole: compute nodes</p>');
    expect(page).toContain('<blockquote>\n<p>Quoted.<br>\nVerify: <code>x</code></p>\n</blockquote>');
  });

  it('leaves other sections, words that only contain a field name, and the advisory\u2019s own tree alone', () => {
    const markdown = body('1. **Upgrade.**\n   The Role: of this node\n   is unchanged; Verifying: is no field.');
    const tree = parseMarkdown(markdown);
    const before = JSON.stringify(tree);
    const page = safeHtml(withStepFieldBreaks(tree));
    expect(JSON.stringify(tree)).toBe(before);
    expect(page).not.toContain('<br>');
    expect(withStepFieldBreaks(tree)).toBe(tree);
    expect(html(body('1. **Upgrade.**'))).toContain('<p>Role: this line is prose, outside the steps.\nKind: so is this one.</p>');
  });
});

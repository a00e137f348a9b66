/**
 * Steps written as prose, as imported notes and quick drafts write them: the
 * title made from the lead sentence, shown once by the mail and the site, and
 * "needs live migration" only for a step that moves instances.
 */
import { describe, expect, it } from 'vitest';
import { renderAdvisories } from '../../src/build/render-all.ts';
import { defaultConfig } from '../../src/config/load.ts';
import { parseNote } from '../../src/model/load.ts';
import { firstSentence, titleLead } from '../../src/model/step-title.ts';

const longLead = 'If you are using the KVM hypervisor with libvirt on OpenStack Compute nodes, you should review your libvirt daemon configuration to ensure that it is not allowing unauthenticated remote access.';

function noteWith(actions: string): string {
  return ['---', 'id: OSSN-0042', 'title: Prose steps', 'date: 2014-03-18', 'status: published', '---', '', '## Summary', 'Something.', '', '## Affected Services / Software', 'Nova.', '', '## Discussion', 'Details.', '', '## Recommended Actions', actions, '', '## Contacts / References', 'Nobody.', ''].join('\n');
}

function stepsOf(actions: string) {
  const parsed = parseNote('notes/OSSN-0042.md', noteWith(actions), { config: defaultConfig(), now: new Date('2026-01-15T12:00:00Z') });
  expect(parsed.messages.filter((m) => m.severity === 'error')).toEqual([]);
  return { advisory: parsed.advisory!, steps: parsed.advisory!.steps };
}

function outputText(actions: string, file: string): string {
  const { advisory } = stepsOf(actions);
  const files = renderAdvisories([advisory], { config: defaultConfig(), now: new Date('2026-01-15T12:00:00Z'), preview: false });
  return String(files.find((f) => f.path === file)!.contents);
}

describe('firstSentence', () => {
  it('keeps a short lead sentence whole, on one line', () => {
    expect(firstSentence('Upgrade the\npackages. Then restart.')).toBe('Upgrade the packages.');
  });

  it('cuts a long one at a word, never inside one', () => {
    const title = firstSentence(longLead);
    expect(title).toBe('If you are using the KVM hypervisor with libvirt on OpenStack Compute nodes, you should review...');
    expect(title.length).toBeLessThanOrEqual(100);
    expect(firstSentence(`See https://example.org/${'a'.repeat(150)} now.`)).toHaveLength(100);
  });
});

describe('titleLead', () => {
  it('finds the title at the start of the text, line breaks or not', () => {
    expect(titleLead('Upgrade the packages.', 'Upgrade the\npackages. Then restart.')).toEqual({ restated: 'whole', length: 21 });
    expect(titleLead('Upgrade OpenSSL', 'Upgrade OpenSSL. Install it.')).toEqual({ restated: 'whole', length: 15 });
    expect(titleLead(firstSentence(longLead), longLead.replace(/ on /, '\non '))).toEqual({ restated: 'start' });
  });

  it('says nothing of a title that is not the text\'s start', () => {
    expect(titleLead('Upgrade OpenSSL', 'Install the fixed packages.')).toBeUndefined();
    expect(titleLead('Upgrade...', 'Install the fixed packages.')).toBeUndefined();
    expect(titleLead('', 'Anything.')).toBeUndefined();
  });
});

describe('a step written as prose', () => {
  const wrapped = longLead.replace(/(.{60,70}) /g, '$1\n');

  it('is mailed once, without a cut title above it', () => {
    const mail = outputText(`${wrapped}\n\nThen check it.`, 'mail/OSSN-0042.eml');
    expect(mail).not.toContain('review...');
    expect(mail.match(/If you are using the KVM hypervisor/g)).toHaveLength(1);
  });

  it('is mailed and shown once when its whole lead sentence is the title', () => {
    const actions = '1. Upgrade the nova packages on every\n   compute node. Use the distribution\'s packages.';
    const mail = outputText(actions, 'mail/OSSN-0042.eml');
    expect(mail.match(/Upgrade the nova packages/g)).toHaveLength(1);
    const checklist = outputText(actions, 'site/advisories/OSSN-0042/index.html').split('advisory-checklist')[1]!;
    expect(checklist).toContain('<h3>Upgrade the nova packages on every compute node.</h3>');
    expect(checklist.match(/Upgrade the nova packages/g)).toHaveLength(1);
  });

  it('reads an upgrade of software as an upgrade step, and the Upgrade of HTTP and WebSocket as none', () => {
    const kinds = (actions: string) => stepsOf(actions).steps.map((step) => step.kind);
    expect(kinds('1. Upgrade nova on every compute node.\n2. Run `apt-get install --only-upgrade nova-common`.\n3. Update the nova packages.\n4. Nova is fixed once upgraded.')).toEqual(['upgrade', 'upgrade', 'upgrade', 'upgrade']);
    expect(
      kinds(
        '1. Reject WebSocket upgrades whose Origin is not the dashboard.\n2. Drop requests whose Upgrade header names another protocol.\n3. Log every HTTP upgrade request the proxy refuses.\n4. Keep connection upgrades to the console port.',
      ),
    ).toEqual(['manual', 'manual', 'manual', 'manual']);
  });

  it('needs live migration only when it moves instances, not when it names live migration', () => {
    const kinds = (actions: string) => stepsOf(actions).steps.map((step) => [step.kind, step.migrationRequired]);
    expect(kinds('Set the live migration URI to qemu+tls in nova.conf. Live migration of running instances then uses TLS.')).toEqual([['manual', false]]);
    expect(kinds('1. Live-migrate all instances off the node.\n2. Evacuate the host.\n3. Move a test instance with `nova live-migration <server> <host>`.')).toEqual([
      ['evacuate', true],
      ['evacuate', true],
      ['evacuate', true],
    ]);
  });
});

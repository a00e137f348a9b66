/** A step's lines left unindented end the list of steps: what follows is said, not silently dropped from the checklist. */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { lintNote } from '../../src/lint/run.ts';
import { parseNote } from '../../src/model/load.ts';

const config = configSchema.parse({ mail: { from: 'Security <security@example.org>', lists: [{ name: 'announce', address: 'announce@lists.example.org' }] } });
const now = new Date('2024-02-01T00:00:00Z');

const head = ['---', 'id: OSSN-0001', 'title: An example', 'date: 2024-01-01', 'status: draft', 'lists: [announce]', 'verify:', '  - { id: up, run: "dpkg-query -W -f=\'${Version}\\\\n\' nova", expect: { version: ">= 1.0-1", scheme: deb } }', '---', ''];
const sections = ['## Summary', '', 'Text.', '', '## Affected Services / Software', '', 'Nova.', '', '## Discussion', '', 'Text.', '', '## Recommended Actions', ''];

function read(actions: string[]) {
  const parsed = parseNote('notes/OSSN-0001.md', [...head, ...sections, ...actions, '', '## Contacts / References', '', 'Us.', ''].join('\n'), { config, now });
  const found = lintNote(parsed, config, now)
    .filter((m) => m.ruleId === 'step-outside-list')
    .map(({ line, column, severity, message }) => ({ at: `${line}:${column}`, severity, message }));
  return { steps: parsed.advisory!.steps.map((step) => step.title), found };
}

const step1 = ['1. **Upgrade nova.**', '', '   ```sh', '   apt-get install --only-upgrade nova', '   ```', ''];
const step2 = ['2. **Restart the proxy.**', '', '   ```sh', '   systemctl restart nova-novncproxy', '   ```'];

describe('the list of steps', () => {
  it('says the field lines and the steps a line not indented cut off, where they are', () => {
    const { steps, found } = read([...step1, 'Role: controller nodes', 'Verify: `up`', '', ...step2]);
    expect(steps).toEqual(['Upgrade nova']);
    expect(found).toEqual([
      { at: '31:1', severity: 'error', message: '"Role: controller nodes" is outside every step, so no step reads it: the numbered list of steps ended after step 1' },
      { at: '34:1', severity: 'error', message: 'Step 2 is not read as a step: the numbered list of steps ended after step 1 (line 29), at a line not indented into it' },
    ]);
  });

  it('says nothing of steps indented as one list, of text after the list, or of a second list numbered from 1', () => {
    const indented = read([...step1, '   Role: controller nodes', '   Verify: `up`', '', ...step2, '', 'Then tell the users.', '', 'Alternatively:', '', '1. Stop the proxy.', '2. Wait for the fix.']);
    expect(indented).toEqual({ steps: ['Upgrade nova', 'Restart the proxy'], found: [] });
  });
});

/**
 * `herald send --dry-run` of a note that cannot be mailed yet (a draft, a
 * placeholder id): refused as the send would be (exit 1), at the field that
 * says so, with where to read the message it will send.
 */
import { access, cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();
const repo = path.resolve(import.meta.dirname, '../..');

describe('herald send --dry-run of a note not ready to be mailed', () => {
  it('refuses as the send does, at the field, and names the preview of the message that build --preview writes', async () => {
    const root = await temporary('herald-send-dry-');
    await cp(path.join(repo, 'notes'), path.join(root, 'notes'), { recursive: true });
    await cp(path.join(repo, 'herald.config.yaml'), path.join(root, 'herald.config.yaml'));
    const draft = (await readFile(path.join(root, 'notes/OSSN-XXXX.md'), 'utf8')).replace('id: OSSN-XXXX', 'id: OSSN-0009');
    await writeFile(path.join(root, 'notes/OSSN-0009.md'), draft);

    const dry = await runCli(['send', 'OSSN-0009', 'OSSN-XXXX', '--dry-run', '--no-cache'], { cwd: root });
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe('');
    expect(dry.stderr).toContain('notes/OSSN-0009.md:5:9  error  mail-not-sendable  OSSN-0009 is a draft: herald send refuses it, and so does its dry run\n');
    expect(dry.stderr).toContain('To read the message it will send: herald build --preview writes it to dist-preview/mail/OSSN-0009.eml, marked PRIVATE PREVIEW');
    expect(dry.stderr).toContain('notes/OSSN-XXXX.md:2:5  error  mail-not-sendable  OSSN-XXXX has no assigned id yet: herald send refuses it, and so does its dry run\n');
    expect(dry.stderr).toContain('herald build --preview writes it to dist-preview/mail/OSSN-XXXX.eml');

    // The send itself says the same, without the dry run's words.
    const send = await runCli(['send', 'OSSN-0009', '--no-cache'], { cwd: root });
    expect(send.code).toBe(1);
    expect(send.stderr).toContain('notes/OSSN-0009.md:5:9  error  mail-not-sendable  OSSN-0009 is a draft\n');
    expect(send.stderr).not.toContain('dist-preview');

    // The preview named is where build --preview writes it.
    expect((await runCli(['build', '--preview', '--no-cache'], { cwd: root })).code).toBe(0);
    for (const file of ['OSSN-0009.eml', 'OSSN-XXXX.eml']) await access(path.join(root, 'dist-preview/mail', file));
    expect(await readFile(path.join(root, 'dist-preview/mail/OSSN-0009.eml'), 'utf8')).toContain('Subject: [PRIVATE PREVIEW]');
  });

  it('takes a blog post whose slug ends in -XXXX for the post it is, not for a note without its id', async () => {
    const root = await temporary('herald-send-post-');
    await cp(path.join(repo, 'notes'), path.join(root, 'notes'), { recursive: true });
    await cp(path.join(repo, 'herald.config.yaml'), path.join(root, 'herald.config.yaml'));
    const post = await readFile(path.join(root, 'notes/2014-04-10-heartbleed-mitigation-for-system-vms.md'), 'utf8');
    await writeFile(path.join(root, 'notes/2014-04-12-upgrade-XXXX.md'), post.replace('slug: heartbleed-system-vms', 'lists: [announce]'));

    const dry = await runCli(['send', 'upgrade-XXXX', '--dry-run', '--no-cache'], { cwd: root });
    expect(dry.stderr).not.toContain('has no assigned id');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Subject: [upgrade-XXXX] Mitigating Heartbleed');
  });
});

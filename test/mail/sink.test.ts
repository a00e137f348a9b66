/**
 * Postfix's smtp-sink as the receiving end (started by the test,
 * unprivileged, on loopback): the lists and 2,000 subscribers, every
 * dumped transaction parsed with mailparser.
 */
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/system.ts';
import { smtpSinkPath, startSmtpSink, type SmtpSink } from './support/smtp.ts';
import { makeWorkspace, runHerald, type Workspace } from './support/workspace.ts';

const reason = missingTools(smtpSinkPath);
const parserOptions = { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true };

describe.skipIf(!!reason)('herald send into smtp-sink', () => {
  let sink: SmtpSink | undefined;
  let workspace: Workspace | undefined;
  afterAll(async () => {
    await sink?.stop();
    await workspace?.remove();
  });

  it('delivers one message per recipient, each a well-formed announcement', async () => {
    sink = await startSmtpSink({ dump: true });
    const subscribers = Array.from({ length: 2000 }, (_, i) => `reader${i}@example.net,`);
    workspace = await makeWorkspace({
      notes: ['OSSN-0101.md'],
      subscribers,
      config: {
        mail: {
          from: 'Example Security Team <security@example.org>',
          domain: 'security.example.org',
          lists: [{ name: 'announce', address: 'security-announce@lists.example.org', unsubscribe: 'https://lists.example.org/u/announce' }],
          transport: 'smtp',
          // smtp-sink speaks no TLS: the one case for allow_plaintext, on loopback.
          smtp: { host: '127.0.0.1', port: sink.port, tls: 'none', allow_plaintext: true, pool_size: 4 },
          subscribers: { file: 'subscribers.csv', address: 'security-subscribers@example.org' },
        },
      },
    });
    const run = await runHerald(['send', 'OSSN-0101', '--json'], { cwd: workspace.dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: allow_plaintext is set');
    expect(JSON.parse(run.stdout).editions[0]).toMatchObject({ edition: 'OSSN-0101 r1 withdrawn', recipients: 2001, sent: 2001 });

    const dumped = sink.readMessages();
    expect(dumped).toHaveLength(2001);
    const recipients: string[] = [];
    for (const raw of dumped) {
      const message = await simpleParser(raw, parserOptions);
      const rcpt = message.headerLines.filter((h) => h.key === 'x-rcpt-args').map((h) => h.line.replace(/^X-Rcpt-Args:\s*/i, '').replace(/[<>]/g, ''));
      expect(rcpt).toHaveLength(1);
      recipients.push(rcpt[0]!);
      expect(message.subject).toBe('[OSSN-0101 UPDATE 1] WITHDRAWN: Glance image cache can be filled by any tenant');
      expect(message.messageId).toMatch(/^<ossn-0101\.r1\.withdrawn\.[0-9a-f]{16}@security\.example\.org>$/);
      expect(message.text).toContain('WITHDRAWN: The behaviour is documented');
      const listId = message.headerLines.find((h) => h.key === 'list-id')?.line;
      expect(listId).toBe(rcpt[0]!.startsWith('reader') ? 'List-Id: <security-subscribers.example.org>' : 'List-Id: <security-announce.lists.example.org>');
    }
    expect(new Set(recipients).size).toBe(2001);
    expect(recipients).toContain('security-announce@lists.example.org');
  });
});

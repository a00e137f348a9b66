/**
 * The wiki's transport (node:http, as node:https for a wiki on TLS) against
 * a stand-in API on loopback: the retries after a 503, a maxlag refusal and
 * a dropped connection; a time limit, and a deadline for an answer that
 * trickles; an answer cut half way; an answer too large to read; a
 * redirect, never followed. The same
 * retries against a real MediaWiki are in mediawiki.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../../src/errors/message.ts';
import { MediaWikiApi } from '../../src/publish/wiki/api.ts';
import { startFaultyProxy } from './support/proxy.ts';
import { startStandInWiki, type StandInWiki } from './support/stand-in.ts';

const siteinfo = { action: 'query', meta: 'siteinfo', siprop: 'extensiontags' };

describe('the wiki transport', () => {
  let wiki: StandInWiki;
  beforeAll(async () => {
    wiki = await startStandInWiki();
  });
  afterAll(async () => {
    await wiki?.close();
  });

  it('retries after a 503, a maxlag refusal and a dropped connection, keeping the session cookie', async () => {
    const proxy = await startFaultyProxy(wiki.apiUrl, ['503', 'maxlag', 'drop']);
    const lines: string[] = [];
    const waits: number[] = [];
    const api = new MediaWikiApi({ url: proxy.url, maxlag: 5, retries: 5, log: (line) => lines.push(line), sleep: async (ms) => void waits.push(ms) });
    try {
      wiki.requests.length = 0;
      expect((await api.call(siteinfo)).query).toEqual({ extensiontags: ['<pre>', '<nowiki>', '<syntaxhighlight>'] });
      expect(lines.join('\n')).toMatch(/HTTP 503.*\n.*maxlag.*\n.*network error \(ECONNRESET\)/);
      expect(waits).toEqual([0, 0, 4000]);
      await api.call(siteinfo);
      expect(wiki.requests.map((request) => request.cookie)).toEqual([undefined, 'standin_session=s3ss10n']);
      expect(wiki.requests[0]!.params).toMatchObject({ format: 'json', formatversion: '2', maxlag: '5', ...siteinfo });
    } finally {
      api.close();
      await proxy.close();
    }
  });

  it('does not follow a redirect, which would take the password along', async () => {
    const api = new MediaWikiApi({ url: wiki.apiUrl, maxlag: 5, retries: 5 });
    try {
      wiki.requests.length = 0;
      wiki.override = { status: 301, headers: { location: 'https://elsewhere.example/w/api.php' } };
      const error = await api.call(siteinfo).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(HeraldError);
      expect((error as HeraldError).messages[0]).toMatchObject({
        ruleId: 'wiki-api-error',
        message: `${wiki.apiUrl} answered HTTP 301, a redirect to https://elsewhere.example/w/api.php: set \`wiki.api_url\` to the address the API answers at`,
      });
      expect(wiki.requests).toHaveLength(1);
    } finally {
      api.close();
    }
  });

  describe('an answer that does not end', () => {
    it('gives a trickling answer up at the request\u2019s deadline, not after every retry, and says it came too slowly', async () => {
      const proxy = await startFaultyProxy(wiki.apiUrl, []);
      proxy.before = () => 'trickle';
      const api = new MediaWikiApi({ url: proxy.url, maxlag: 5, retries: 5, timeoutMs: 300, deadlineMs: 1500, sleep: async () => {} });
      try {
        const error = await api.call(siteinfo).then(() => undefined, (caught: unknown) => caught);
        const said = /^The wiki at \S+ began to answer action=query but did not finish: the wiki sent its answer too slowly \(\d+ bytes in (\d(?:\.\d)?) s, and not the whole answer\) \(after (\d) attempts, (\d+(?:\.\d)?) s spent waiting for answers, the most herald gives one request\)$/;
        expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'wiki-answer-incomplete', message: expect.stringMatching(said) });
        // Only bounds a loaded machine cannot break: a timer that fires late makes a try longer (and so the tries fewer), never shorter.
        const [, lastTry, attempts, spent] = said.exec((error as HeraldError).messages[0]!.message)!.map(Number);
        // Each try is cut at 300 ms, the last at what is left of the 1.5 s.
        expect(lastTry).toBeLessThanOrEqual(0.3);
        // Given up once 1.5 s were spent waiting: after at least two tries, and before the sixth that `retries: 5` allows.
        expect(spent).toBeGreaterThanOrEqual(1.5);
        expect(attempts).toBeGreaterThanOrEqual(2);
        expect(attempts).toBeLessThan(6);
        expect(proxy.requests).toBeLessThan(6);
      } finally {
        api.close();
        await proxy.close();
      }
    });

    it('tells of an answer that began, not of a last try cut short by the deadline that heard nothing', async () => {
      // The first try trickles for its 300 ms; the second is given what is left of the 450 ms and hears nothing.
      const proxy = await startFaultyProxy(wiki.apiUrl, ['trickle', 'silent']);
      const api = new MediaWikiApi({ url: proxy.url, maxlag: 5, retries: 5, timeoutMs: 300, deadlineMs: 450, sleep: async () => {} });
      try {
        const error = await api.call(siteinfo).then(() => undefined, (caught: unknown) => caught);
        expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'wiki-answer-incomplete', message: expect.stringContaining('the wiki sent its answer too slowly') });
      } finally {
        api.close();
        await proxy.close();
      }
    });

    it('retries an answer cut half way, and says so when every one is', async () => {
      const proxy = await startFaultyProxy(wiki.apiUrl, ['cut']);
      const lines: string[] = [];
      const api = new MediaWikiApi({ url: proxy.url, maxlag: 5, retries: 1, log: (line) => lines.push(line), sleep: async () => {} });
      try {
        expect((await api.call(siteinfo)).query).toEqual({ extensiontags: ['<pre>', '<nowiki>', '<syntaxhighlight>'] });
        expect(lines).toEqual([expect.stringMatching(/^herald: the wiki stopped mid-answer \(the connection closed after 31 bytes: \S+\); retrying in 1 s \(1\/1\)$/)]);
        proxy.before = () => 'cut';
        const error = await api.call(siteinfo).then(() => undefined, (caught: unknown) => caught);
        expect((error as HeraldError).messages[0]).toMatchObject({
          ruleId: 'wiki-answer-incomplete',
          message: expect.stringMatching(/^The wiki at \S+ began to answer action=query but did not finish: the wiki stopped mid-answer \(the connection closed after 31 bytes: \S+\) \(after 2 attempts\)$/),
        });
      } finally {
        api.close();
        await proxy.close();
      }
    });
  });

  it.each([
    ['that goes on without end', 'huge', /^The wiki at \S+ sent an answer longer than 33554432 bytes, more than the 32 MiB herald reads of an answer: herald stopped reading it$/],
    ['whose Content-Length says 10 GiB', 'huge-declared', /^The wiki at \S+ sent an answer of 10737418240 bytes \(its Content-Length\), more than the 32 MiB herald reads of an answer: herald stopped reading it$/],
  ] as const)('stops reading an answer %s at 32 MiB, without a retry', async (_name, fault, message) => {
    const proxy = await startFaultyProxy(wiki.apiUrl, []);
    proxy.before = () => fault;
    const api = new MediaWikiApi({ url: proxy.url, maxlag: 5, retries: 5, sleep: async () => {} });
    try {
      const error = await api.call(siteinfo).then(() => undefined, (caught: unknown) => caught);
      expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'wiki-answer-too-large', message: expect.stringMatching(message) });
      expect(proxy.requests).toBe(1);
    } finally {
      api.close();
      await proxy.close();
    }
  });

  describe('a wiki that never answers', () => {
    let silent: Server;
    let url = '';
    beforeAll(async () => {
      silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/w/api.php`;
    });
    afterAll(async () => {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('is given up on after the time limit, and retried', async () => {
      const lines: string[] = [];
      const api = new MediaWikiApi({ url, maxlag: 5, retries: 1, timeoutMs: 200, log: (line) => lines.push(line), sleep: async () => {} });
      try {
        const error = await api.call(siteinfo).then(() => undefined, (caught: unknown) => caught);
        expect((error as HeraldError).messages[0]).toMatchObject({ ruleId: 'wiki-unreachable', message: `The wiki at ${url} did not answer action=query: network error (no answer within 0.2 s) (after 2 attempts)` });
        expect(lines).toHaveLength(1);
      } finally {
        api.close();
      }
    });
  });
});

/**
 * herald.config.yaml is read as strictly as a note (`src/model/decode.ts`):
 * a Windows editor's CRLF and byte order mark are fine; UTF-16 and bytes
 * that are not UTF-8 are named at their place, never read as U+FFFD.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { HeraldError } from '../../src/errors/message.ts';
import { repoRoot } from '../site/support.ts';
import { temporaryFolders } from '../support/temp-dirs.ts';

const temporary = temporaryFolders();

async function loadBytes(bytes: Uint8Array) {
  const dir = await temporary('herald-config-encoding-');
  await writeFile(path.join(dir, 'herald.config.yaml'), bytes);
  return loadConfig(dir);
}

async function refusal(bytes: Uint8Array) {
  const error = await loadBytes(bytes).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HeraldError);
  return (error as HeraldError).messages;
}

describe('the configuration file encoding', () => {
  it('reads CRLF and a UTF-8 byte order mark as the plain file', async () => {
    const text = await readFile(path.join(repoRoot, 'herald.config.yaml'), 'utf8');
    const plain = await loadBytes(Buffer.from(text));
    expect(await loadBytes(Buffer.from(text.replaceAll('\n', '\r\n')))).toEqual(plain);
    expect(await loadBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual(plain);
  });

  it('keeps no \\r of CRLF in a value, block scalars and multi-line quoted text too, and places a mistake as in the LF file', async () => {
    const text = 'site:\n  title: "Example\n    Cloud"\ncsaf:\n  contact_details: |\n    Line one\n    line two\n  publisher_name: >\n    Folded\n    name\n';
    const plain = await loadBytes(Buffer.from(text));
    expect([plain.site.title, plain.csaf.contact_details, plain.csaf.publisher_name]).toEqual(['Example Cloud', 'Line one\nline two\n', 'Folded name\n']);
    expect(await loadBytes(Buffer.from(text.replaceAll('\n', '\r\n')))).toEqual(plain);
    const wrong = `${text}ids:\n  prefix: OSSN\n  bogus: 1\n`;
    const lf = await refusal(Buffer.from(wrong));
    expect(lf).toMatchObject([{ line: 13, column: 3, ruleId: 'config-invalid' }]);
    expect(await refusal(Buffer.from(wrong.replaceAll('\n', '\r\n')))).toEqual(lf);
  });

  it('names UTF-16, a Latin-1 byte and a NUL byte', async () => {
    const text = 'site:\n  title: "Café"\n';
    expect(await refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toMatchObject([
      { file: 'herald.config.yaml', line: 1, column: 1, ruleId: 'file-encoding', message: 'File is UTF-16 (little-endian, with a byte order mark), not UTF-8' },
    ]);
    expect(await refusal(Buffer.from(text, 'latin1'))).toMatchObject([{ line: 2, column: 14, ruleId: 'file-encoding', message: 'File is not valid UTF-8' }]);
    expect(await refusal(Buffer.from('site:\0\n'))).toMatchObject([
      { ruleId: 'file-binary', message: 'File contains a NUL byte at offset 5: it is binary, not YAML', hint: 'The configuration is YAML text in UTF-8, at most 256 KiB.' },
    ]);
  });
});

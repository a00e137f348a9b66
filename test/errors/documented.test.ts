/** Every stable id of the error catalog is documented, so a user who meets one can look it up. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { catalog } from '../../src/errors/catalog.ts';

const root = path.resolve(import.meta.dirname, '../..');
const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).map((name) => `docs/${name}`)];
const text = docs.map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');

it('names every rule and error id in the README or docs/', () => {
  const undocumented = Object.keys(catalog).filter((id) => !text.includes(`\`${id}\``));
  expect(undocumented).toEqual([]);
});

it('names no id the catalog does not have, in the README\'s rule tables', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const tables = readme.slice(readme.indexOf('## Lint rules'), readme.indexOf('## Configuration'));
  const rows = tables.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---'));
  const named = rows.flatMap((row) => [...row.split('|')[2]!.matchAll(/`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]!));
  expect(named.length).toBeGreaterThan(50);
  // The note template's example check, which the `template-text` row names, is no rule id.
  const notIds = new Set(['example-setting']);
  expect(named.filter((id) => !(id in catalog) && !notIds.has(id))).toEqual([]);
});

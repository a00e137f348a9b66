/** CSAF validation with @secvisogram/csaf-validator-lib: the strict 2.0 schema and every mandatory test. */
// `validate` rather than `validateStrict`: the tests passed are the library's own, and validateStrict
// imports every optional and informative test too (half a minute of start-up).
import validate from '@secvisogram/csaf-validator-lib/validate.js';
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import { expect } from 'vitest';
import type { Config } from '../../src/config/schema.ts';
import type { Advisory } from '../../src/model/types.ts';
import { renderer } from '../../src/render/csaf/index.ts';
import { renderContext } from '../osv/notes.ts';

/** The failed tests of one document (empty when it is valid). The informative tests go to the network and are not run. */
export async function csafFailures(document: unknown): Promise<{ test: string; errors: unknown[] }[]> {
  const result = await validate([csaf_2_0_strict, ...Object.values(mandatory)], document);
  return result.tests.filter((t) => !t.isValid).map((t) => ({ test: t.name, errors: t.errors }));
}

/** Renders every advisory (normal and preview build) and expects each document to be valid. */
export async function expectValidCsaf(advisories: readonly Advisory[], config: Config): Promise<void> {
  expect(advisories.length).toBeGreaterThan(0);
  for (const preview of [false, true]) {
    const context = renderContext(advisories, { preview, config });
    for (const advisory of advisories) {
      const [file] = renderer.renderNote!(advisory, context);
      expect(await csafFailures(JSON.parse(String(file!.contents))), `${advisory.id}${preview ? ' (preview)' : ''}`).toEqual([]);
    }
  }
}

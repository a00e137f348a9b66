/**
 * JSON Schemas for editors, generated from the very zod schemas herald
 * validates with (so what an editor accepts is what lint accepts).
 */
import { z } from 'zod';
import { configSchema } from '../config/schema.ts';
import { noteInputSchema, postInputSchema } from './schema.ts';

const base = 'https://herald.dev/schemas';

// JSON Schema's `pattern` has no flags: a zod regex with /i, /m or /s would be
// published stricter (or looser) than herald checks. Spell the cases out instead.
const meaningFlags = /[ims]/;

function refuseFlaggedPatterns(ctx: { zodSchema: z.core.$ZodTypes; path: (string | number)[] }): void {
  for (const check of ctx.zodSchema._zod.def.checks ?? []) {
    const pattern = (check._zod.def as { pattern?: unknown }).pattern;
    if (pattern instanceof RegExp && meaningFlags.test(pattern.flags)) {
      throw new Error(`JSON Schema: the pattern ${String(pattern)} at ${ctx.path.join('.') || '(root)'} has flags a JSON Schema pattern cannot carry; write it without them`);
    }
  }
}

function toJson(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12', override: refuseFlaggedPatterns }) as Record<string, unknown>;
}

function generate(schema: z.ZodType, id: string, title: string): object {
  return { ...toJson(schema), $id: `${base}/${id}`, title };
}

/** One schema's body, to nest under `$defs` (its `$schema` belongs to the document). */
function definition(schema: z.ZodType, description: string): Record<string, unknown> {
  const { $schema: _, ...json } = toJson(schema);
  // Nested `$defs` would need their `$ref`s rewritten; zod makes none for these schemas today.
  if ('$defs' in json) throw new Error('JSON Schema: a nested schema has $defs of its own; hoist them before nesting it');
  return { ...json, description };
}

/**
 * Notes and blog posts share `notes/`, and an editor maps one schema to a
 * folder: so this one takes both, told apart as the loader tells them
 * (`isPost` in load.ts). A file with an `id` is a note; one without is a
 * post. The loader also wants a post to have `layout:` or a `YYYY-MM-DD-slug.md`
 * name, which a schema cannot see: a note that lost its `id` passes here as a
 * post, and `herald lint` says what is missing.
 */
function noteOrPost(): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${base}/note.schema.json`,
    title: 'herald note or blog post front matter',
    description: 'A note (front matter with an `id`) or a blog post as its blog engine wrote it (no `id`; `layout:` or a file named YYYY-MM-DD-slug.md). docs/note-format.md describes every field.',
    type: 'object',
    if: { required: ['id'] },
    then: { $ref: '#/$defs/note' },
    else: { $ref: '#/$defs/post' },
    $defs: {
      note: definition(noteInputSchema, 'A note: id, title, date and status required; no other fields than herald knows.'),
      post: definition(postInputSchema, 'A blog post: title required; fields blog engines add are allowed. Its date is `date:` or the date of its file name.'),
    },
  };
}

export const jsonSchemas = {
  note: noteOrPost,
  config: () => generate(configSchema, 'config.schema.json', 'herald.config.yaml'),
} as const;

export type SchemaName = keyof typeof jsonSchemas;

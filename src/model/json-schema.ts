/**
 * JSON Schemas for editors, generated from the very zod schemas herald
 * validates with (so what an editor accepts is what lint accepts).
 */
import { z } from 'zod';
import { configSchema } from '../config/schema.ts';
import { noteInputSchema } from './schema.ts';

const base = 'https://herald.dev/schemas';

function generate(schema: z.ZodType, id: string, title: string): object {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...json, $id: `${base}/${id}`, title };
}

export const jsonSchemas = {
  note: () => generate(noteInputSchema, 'note.schema.json', 'herald note front matter'),
  config: () => generate(configSchema, 'config.schema.json', 'herald.config.yaml'),
} as const;

export type SchemaName = keyof typeof jsonSchemas;

/**
 * Rewrites the `id` field of a note's front matter and nothing else (see
 * `front-matter-field.ts`): the bot's diff is one line, and the id keeps
 * the quoting its author gave it.
 */
import { scalarField } from '../front-matter-field.ts';

/**
 * `text` with the `id` value `from` replaced by `to`, or undefined when the
 * front matter has no `id` scalar whose value is `from`.
 */
export function replaceIdField(text: string, from: string, to: string): string | undefined {
  const field = scalarField(text, 'id');
  if (!field || field.value !== from) return undefined;
  const at = text.slice(field.start, field.end).indexOf(from);
  if (at === -1) return undefined;
  return text.slice(0, field.start + at) + to + text.slice(field.start + at + from.length);
}

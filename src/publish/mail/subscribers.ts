/**
 * Direct subscribers from a CSV file: `email,products`, products separated
 * by `;`, empty for every note. A subscriber to `libvirt` gets only the
 * notes whose affected products, packages, vendors or tags name libvirt.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ruleInfo } from '../../errors/catalog.ts';
import { HeraldError, type HeraldMessage } from '../../errors/message.ts';
import type { Advisory } from '../../model/types.ts';

/** One row of the subscribers file. */
export interface Subscriber {
  email: string;
  /** Normalized interests; empty means every note. */
  products: string[];
  line: number;
}

interface CsvRow {
  fields: string[];
  line: number;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      fields.push(field);
      rows.push({ fields, line: rowLine });
      fields = [];
      field = '';
      line += 1;
      rowLine = line;
    } else field += char;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ fields, line: rowLine });
  }
  return rows.filter((row) => row.fields.some((f) => f.trim() !== ''));
}

/** Lower case, single spaces: how interests and product names are compared. */
export const normalizeProduct = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, ' ');

const emailSchema = z.email();
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Parses and checks a subscribers file; every bad row is reported, then nothing is sent. */
export function parseSubscribers(text: string, file: string): Subscriber[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const problems: HeraldMessage[] = [];
  const report = (line: number, text: string) =>
    problems.push({ file, line, column: 1, severity: 'error', ruleId: 'subscribers-invalid', message: text, hint: ruleInfo('subscribers-invalid').hint });
  const header = rows.shift();
  const columns = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const emailColumn = columns.indexOf('email');
  const productsColumn = columns.indexOf('products');
  if (!header || emailColumn === -1) {
    report(header?.line ?? 1, 'The first row must name the columns, with at least `email` (and usually `products`)');
    throw new HeraldError(problems);
  }
  const seen = new Map<string, number>();
  const subscribers: Subscriber[] = [];
  for (const row of rows) {
    const email = (row.fields[emailColumn] ?? '').trim();
    const products = productsColumn === -1 ? '' : (row.fields[productsColumn] ?? '');
    if (controlCharacter.test(email) || !emailSchema.safeParse(email).success) {
      report(row.line, `"${email.replace(/[\u0000-\u001f\u007f]/g, '?')}" is not an email address`);
      continue;
    }
    const key = email.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      report(row.line, `${email} is already listed on line ${first}; keep one row per subscriber`);
      continue;
    }
    seen.set(key, row.line);
    subscribers.push({ email, products: products.split(';').map(normalizeProduct).filter(Boolean), line: row.line });
  }
  if (problems.length > 0) throw new HeraldError(problems);
  return subscribers;
}

/** Reads and checks the subscribers file at `path` (`shownAs` in messages). */
export async function readSubscribers(path: string, shownAs: string): Promise<Subscriber[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HeraldError([
      { file: shownAs, line: 1, column: 1, severity: 'error', ruleId: 'subscribers-invalid', message: `Cannot read the subscribers file: ${(error as Error).message}`, hint: ruleInfo('subscribers-invalid').hint },
    ]);
  }
  return parseSubscribers(text, shownAs);
}

/** The names an advisory answers to: each affected product, package and vendor, their words, and its tags. */
export function interestNames(advisory: Advisory): Set<string> {
  const names = new Set<string>();
  const add = (value: string | undefined) => {
    if (!value) return;
    const whole = normalizeProduct(value);
    names.add(whole);
    for (const word of whole.split(/[^a-z0-9.+]+/)) if (word) names.add(word);
  };
  for (const affected of advisory.affects) {
    add(affected.product);
    add(affected.package);
    add(affected.vendor);
  }
  for (const tag of advisory.tags) add(tag);
  return names;
}

/** True when the subscriber has no interests or one of them is among `names` (see `interestNames`). */
export function wantsAdvisory(subscriber: Subscriber, names: ReadonlySet<string>): boolean {
  return subscriber.products.length === 0 || subscriber.products.some((product) => names.has(product));
}

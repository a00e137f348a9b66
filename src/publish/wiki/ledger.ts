/**
 * The wiki ledger: for each wiki and page, the revision herald last wrote
 * (or found identical to what it would write). A page whose latest revision
 * is another one was changed by someone else, and herald leaves it alone
 * unless forced. Kept as sorted JSON so it diffs well under version control,
 * and replaced atomically so a crash never leaves half a file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { wikiError } from './errors.ts';

const entrySchema = z.strictObject({
  /** The revision id herald wrote or adopted. */
  revision_id: z.number().int().positive(),
  /** The advisory the page shows (absent for the index page). */
  advisory: z.string().optional(),
  /** sha256 of the text herald wrote, as the wiki stores it: a later revision with this text is no hand edit. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  written_at: z.string(),
});

const ledgerSchema = z.strictObject({
  version: z.literal(1),
  /** By API URL, then by page title as the wiki writes it. */
  wikis: z.record(z.string(), z.record(z.string(), entrySchema)),
});

export type LedgerEntry = z.infer<typeof entrySchema>;
type LedgerData = z.infer<typeof ledgerSchema>;

function sortedObject<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class WikiLedger {
  readonly file: string;
  private readonly data: LedgerData;

  private constructor(file: string, data: LedgerData) {
    this.file = file;
    this.data = data;
  }

  /** Reads the ledger; a missing file is an empty ledger, an unreadable one an error (never silently reset). */
  static async open(file: string): Promise<WikiLedger> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new WikiLedger(file, { version: 1, wikis: {} });
      throw wikiError('wiki-ledger-invalid', `Cannot read the wiki ledger: ${(error as Error).message}`, file);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw wikiError('wiki-ledger-invalid', `The wiki ledger is not valid JSON: ${(error as Error).message}`, file);
    }
    const parsed = ledgerSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw wikiError('wiki-ledger-invalid', `The wiki ledger has an unexpected shape at ${issue.path.join('.') || 'the top'}: ${issue.message}`, file);
    }
    return new WikiLedger(file, parsed.data);
  }

  get(wiki: string, title: string): LedgerEntry | undefined {
    return this.data.wikis[wiki]?.[title];
  }

  set(wiki: string, title: string, entry: LedgerEntry): void {
    this.data.wikis[wiki] = sortedObject({ ...this.data.wikis[wiki], [title]: entry });
  }

  /** Writes the ledger: a temporary file beside it, renamed over it. */
  async save(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const data: LedgerData = { version: 1, wikis: sortedObject(this.data.wikis) };
    await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`);
    await rename(temporary, this.file);
  }
}

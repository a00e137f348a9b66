/**
 * The wiki ledger: for each wiki and page, the revision herald last wrote
 * (or found identical to what it would write). A page whose latest revision
 * is another one was changed by someone else, and herald leaves it alone
 * unless forced. Kept as sorted JSON so it diffs well under version control,
 * and replaced atomically so a crash never leaves half a file.
 *
 * Each entry set is also appended at once to a journal beside the file
 * (`<file>.journal`, one JSON line per entry, a synchronous write: a
 * killed push loses none), and `save` folds the journal into the file and
 * removes it; `open` replays a journal a killed push left. The file is
 * rewritten once per push, not once per page: at 10,000 pages that would
 * be 10,000 rewrites of a 2.5 MB file.
 */
import { closeSync, fstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { makeFolders } from '../../io/write-file.ts';
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

const journalLine = z.tuple([z.string(), z.string(), entrySchema]);

export class WikiLedger {
  readonly file: string;
  private readonly data: LedgerData;
  /** The journal, opened for appending on the first `set`. */
  private journal: number | undefined;

  private constructor(file: string, data: LedgerData) {
    this.file = file;
    this.data = data;
  }

  private get journalFile(): string {
    return `${this.file}.journal`;
  }

  /** Reads the ledger; a missing file is an empty ledger, an unreadable one an error (never silently reset). */
  static async open(file: string): Promise<WikiLedger> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new WikiLedger(file, { version: 1, wikis: {} }).replay();
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
    return new WikiLedger(file, parsed.data).replay();
  }

  /** Applies the entries of a journal a killed push left (a torn last line, cut short by the kill, is skipped). */
  private async replay(): Promise<WikiLedger> {
    let text: string;
    try {
      text = await readFile(this.journalFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this;
      throw wikiError('wiki-ledger-invalid', `Cannot read the wiki ledger's journal: ${(error as Error).message}`, this.journalFile);
    }
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (line === '') continue;
      let parsed: z.infer<typeof journalLine> | undefined;
      try {
        parsed = journalLine.parse(JSON.parse(line));
      } catch (error) {
        if (index === lines.length - 1) break;
        throw wikiError('wiki-ledger-invalid', `Line ${index + 1} of the wiki ledger's journal is not an entry: ${(error as Error).message}`, this.journalFile);
      }
      const [wiki, title, entry] = parsed;
      (this.data.wikis[wiki] ??= {})[title] = entry;
    }
    return this;
  }

  get(wiki: string, title: string): LedgerEntry | undefined {
    return this.data.wikis[wiki]?.[title];
  }

  /**
   * Opens the journal (making the ledger's folder), so that a push finds a
   * ledger it cannot write before it edits any page; throws the file
   * system's error. Folders are made one level at a time: Node's recursive
   * mkdir never returns under /proc.
   */
  openJournal(): number {
    if (this.journal === undefined) {
      makeFolders(path.dirname(this.file));
      this.journal = openSync(this.journalFile, 'a');
    }
    return this.journal;
  }

  /** Records an entry, in the journal at once; the file has it after `save`. */
  set(wiki: string, title: string, entry: LedgerEntry): void {
    (this.data.wikis[wiki] ??= {})[title] = entry;
    writeSync(this.openJournal(), `${JSON.stringify([wiki, title, entry])}\n`);
  }

  /** Closes a journal `openJournal` opened that holds nothing (a push that stopped before any page, at the login), and removes it. */
  dropEmptyJournal(): void {
    if (this.journal === undefined || fstatSync(this.journal).size > 0) return;
    closeSync(this.journal);
    this.journal = undefined;
    unlinkSync(this.journalFile);
  }

  /** Writes the ledger (a temporary file beside it, renamed over it), then removes the journal it holds. */
  async save(): Promise<void> {
    makeFolders(path.dirname(this.file));
    const temporary = `${this.file}.${process.pid}.tmp`;
    const wikis = Object.fromEntries(Object.entries(this.data.wikis).map(([wiki, pages]) => [wiki, sortedObject(pages)]));
    const data: LedgerData = { version: 1, wikis: sortedObject(wikis) };
    await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`);
    await rename(temporary, this.file);
    if (this.journal !== undefined) {
      closeSync(this.journal);
      this.journal = undefined;
    }
    await unlink(this.journalFile).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

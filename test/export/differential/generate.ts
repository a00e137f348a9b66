/**
 * Generated checks for the differential test: verify entries and the host
 * state they read (files under a root, with the byte-level oddities real
 * config files have; command output written to files a command cats).
 */
import fc from 'fast-check';
import type { ChecklistVerify } from '../../../src/render/checklists/schema.ts';
import type { VersionScheme } from '../../../src/model/types.ts';
import { debianVersion, pep440String, rpmVersion, semverString, versionishString } from '../../versions/generators.ts';

/** A piece of a line: text (written as UTF-8) or raw bytes (NUL, invalid UTF-8). */
export type Piece = string | number[];

const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('a', 'b', 'A', 'x', '=', ' ', ' ', '\t', '#', '0', '9', '.', '"', '[', ']', '-', '_', '\\', '/', '*', 'key', 'no', 'PermitRootLogin', '{', '}', '$', '^') },
  { weight: 3, arbitrary: fc.constantFrom('é', '\u00a0', '\r', '\u2028', '\u0085', '\u000b', '\u000c', '\u001b', '\u00ff', '€', '\ufeff') },
  { weight: 1, arbitrary: fc.constantFrom<Piece>([0], [0xff], [0xc3], [0xe2, 0x80], [0x80]) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(200), '=' + 'x'.repeat(9000), 'é'.repeat(70)) },
);

const line = fc.array(piece, { maxLength: 8 });

/** A text file: its lines, the line ending, and whether the last line ends. */
export interface TextFile {
  lines: Piece[][];
  ending: '\n' | '\r\n';
  finalNewline: boolean;
}

export const textFile: fc.Arbitrary<TextFile> = fc.record({
  lines: fc.array(line, { maxLength: 6 }),
  ending: fc.constantFrom<'\n' | '\r\n'>('\n', '\n', '\r\n'),
  finalNewline: fc.boolean(),
});

export function fileBytes(file: TextFile): Buffer {
  const chunks: Buffer[] = [];
  file.lines.forEach((pieces, index) => {
    for (const p of pieces) chunks.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p));
    if (index < file.lines.length - 1 || file.finalNewline) chunks.push(Buffer.from(file.ending));
  });
  return Buffer.concat(chunks);
}

/** What is at a checked path. */
export type Node =
  | { kind: 'file'; file: TextFile }
  | { kind: 'missing' }
  | { kind: 'directory' }
  | { kind: 'link'; absolute: boolean; file: TextFile }
  | { kind: 'dangling-link' }
  | { kind: 'link-loop' }
  | { kind: 'through-file' };

export const node: fc.Arbitrary<Node> = fc.oneof(
  { weight: 10, arbitrary: textFile.map((file) => ({ kind: 'file' as const, file })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'directory' as const }) },
  { weight: 2, arbitrary: fc.tuple(fc.boolean(), textFile).map(([absolute, file]) => ({ kind: 'link' as const, absolute, file })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'dangling-link' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'link-loop' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'through-file' as const }) },
);

// ---- patterns of the portable subset (and a little beyond it) ----

const literal = fc.constantFrom('a', 'b', 'A', 'x', ' ', '=', '#', '"', '-', '0', '9', 'no', 'key', '\\.', '\\*', '\\[', '\\]', '\\$', '\\/', '\\\\', '\\t', '\\{', '\\}', 'é', '€', '{', '}');
const shorthand = fc.constantFrom('\\s', '\\S', '\\d', '\\D', '\\w', '\\W', '.', '.', '.');
const classMember = fc.constantFrom('a', 'b', 'A-Z', 'a-z', '#', '=', ' ', '0-9', '\\s', '\\d', '\\w', '\\]', '-', '^', '.', '[', '\\\\', '"', 'é', '\\t');
const bracket = fc.tuple(fc.boolean(), fc.array(classMember, { minLength: 1, maxLength: 3 })).map(([negated, members]) => `[${negated ? '^' : ''}${members.join('')}]`);
const quantifier = fc.constantFrom('', '', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?', '{70,}');
const beyond = fc.constantFrom('\\b', '(?=a)', '\\u00e9', '\\x41', '\\n', '\\r', '\\v', '\\f', '\\0', '\\cA', '(?<n>a)');

export const pattern: fc.Arbitrary<string> = fc
  .letrec<{ pattern: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: literal },
      { weight: 3, arbitrary: shorthand },
      { weight: 2, arbitrary: bracket },
      { weight: 1, arbitrary: tie('pattern').map((p) => `(${p})`) },
      { weight: 1, arbitrary: tie('pattern').map((p) => `(?:${p})`) },
      { weight: 1, arbitrary: beyond },
    ),
    pattern: fc
      .tuple(
        fc.array(fc.tuple(tie('atom'), quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 4 }),
        fc.option(fc.array(fc.tuple(tie('atom'), quantifier).map(([a, q]) => a + q), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      )
      .map(([first, second]) => first.join('') + (second ? `|${second.join('')}` : '')),
  }))
  .pattern.chain((p) => fc.tuple(fc.boolean(), fc.boolean()).map(([start, end]) => `${start ? '^' : ''}${p}${end ? '$' : ''}`))
  .filter((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  });

// ---- command checks ----

const schemes: VersionScheme[] = ['deb', 'rpm', 'semver', 'pypi'];
const versionOf: Record<VersionScheme, fc.Arbitrary<string>> = {
  deb: fc.oneof(debianVersion, versionishString),
  rpm: fc.oneof(rpmVersion, versionishString),
  semver: fc.oneof(semverString, versionishString),
  pypi: fc.oneof(pep440String, versionishString),
};
const padding = fc.constantFrom('', '', ' ', '\n', '\t', '\n\n', ' \r\n');
const operator = fc.constantFrom('<', '<=', '=', '>=', '>', '!=') as fc.Arbitrary<'<' | '<=' | '=' | '>=' | '>' | '!='>;

/** A command check: the command's output (a file it prints), its exit status, and the expectation. */
export type CommandCase =
  | { kind: 'stdout'; output: TextFile; exit: number; pattern: string }
  | { kind: 'exit'; output: TextFile; exit: number; code: number }
  | { kind: 'version'; scheme: VersionScheme; printed: string; exit: number; operator: '<' | '<=' | '=' | '>=' | '>' | '!='; version: string }
  | { kind: 'package'; name: string; operator: '<' | '<=' | '=' | '>=' | '>' | '!='; version: string };

const exitStatus = fc.constantFrom(0, 0, 0, 1, 2, 127);

export function commandCase(installed: readonly { name: string; version: string }[]): fc.Arbitrary<CommandCase> {
  const version = fc.constantFrom(...schemes).chain((scheme) =>
    fc.record({
      kind: fc.constant('version' as const),
      scheme: fc.constant(scheme),
      printed: fc.tuple(padding, versionOf[scheme], padding).map(([a, v, b]) => a + v + b),
      exit: exitStatus,
      operator,
      version: versionOf[scheme].filter((v) => v.trim() !== ''),
    }),
  );
  const arbitraries: fc.Arbitrary<CommandCase>[] = [
    fc.record({ kind: fc.constant('stdout' as const), output: textFile, exit: exitStatus, pattern }),
    fc.record({ kind: fc.constant('exit' as const), output: textFile, exit: exitStatus, code: exitStatus }),
    version,
  ];
  if (installed.length > 0) {
    arbitraries.push(
      fc.record({
        kind: fc.constant('package' as const),
        name: fc.constantFrom(...installed.map((p) => p.name), 'herald-no-such-package'),
        operator,
        version: fc.oneof(debianVersion, fc.constantFrom(...installed.map((p) => p.version))),
      }),
    );
  }
  return fc.oneof(...arbitraries);
}

/** A file check: what is at the path, and the expectation. */
export interface FileCase {
  node: Node;
  kind: 'absent' | 'present';
  pattern: string;
}

export const fileCase: fc.Arbitrary<FileCase> = fc.record({ node, kind: fc.constantFrom<'absent' | 'present'>('absent', 'present'), pattern });

export type Entry = ChecklistVerify;

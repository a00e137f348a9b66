/**
 * The real packaging tools as judges, called in batches so thousands of
 * comparisons stay fast: one shell loop over a file for dpkg (split across
 * two processes), one rpm Lua loop for rpm, one python3 process for PEP 440.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { debianPython } from '../support/system.ts';

const run = promisify(execFile);

async function withLines<T>(lines: string[], use: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'herald-judge-'));
  try {
    const file = path.join(dir, 'input');
    writeFileSync(file, lines.map((line) => line + '\n').join(''));
    return await use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function answers(stdout: string, expected: number): string[] {
  const values = stdout.trim() === '' ? [] : stdout.trim().split('\n');
  if (values.length !== expected) throw new Error(`judge answered ${values.length} of ${expected} questions`);
  return values;
}

function results(stdout: string, expected: number): number[] {
  return answers(stdout, expected).map(Number);
}

const dpkgLoop = `tab=$(printf '\\t')
while IFS="$tab" read -r a b; do
  if dpkg --compare-versions "$a" lt "$b"; then echo -1
  elif dpkg --compare-versions "$a" eq "$b"; then echo 0
  else echo 1; fi
done < "$1"`;

async function inHalves<T>(items: T[], judge: (part: T[]) => Promise<number[]>): Promise<number[]> {
  const middle = Math.ceil(items.length / 2);
  const [first, second] = await Promise.all([judge(items.slice(0, middle)), judge(items.slice(middle))]);
  return [...first, ...second];
}

/** `dpkg --compare-versions` on each pair: -1, 0 or 1. */
export function dpkgCompare(pairs: readonly (readonly [string, string])[]): Promise<number[]> {
  return inHalves([...pairs], (part) =>
    withLines(part.map(([a, b]) => `${a}\t${b}`), async (file) => results((await run('sh', ['-c', dpkgLoop, 'sh', file], { maxBuffer: 1 << 26 })).stdout, part.length)),
  );
}

const dpkgAcceptLoop = `while IFS= read -r v; do
  if out=$(dpkg --compare-versions "$v" eq "$v" 2>&1) && [ -z "$out" ]; then echo 1; else echo 0; fi
done < "$1"`;

/** Whether dpkg takes each version without an error or a warning. */
export async function dpkgAccepts(versions: readonly string[]): Promise<boolean[]> {
  const answers = await inHalves([...versions], (part) =>
    withLines(part, async (file) => results((await run('sh', ['-c', dpkgAcceptLoop, 'sh', file], { maxBuffer: 1 << 26 })).stdout, part.length)),
  );
  return answers.map((a) => a === 1);
}

const rpmLoop = (file: string) =>
  `%{lua: for line in io.lines("${file}") do local a, b = string.match(line, "^([^\\t]*)\\t(.*)$"); io.write(rpm.vercmp(a, b), "\\n") end}`;

/** rpm's own `rpm.vercmp` (rpmverCmp on `[epoch:]version[-release]`) on each pair. */
export function rpmCompare(pairs: readonly (readonly [string, string])[]): Promise<number[]> {
  return withLines(pairs.map(([a, b]) => `${a}\t${b}`), async (file) => results((await run('rpm', ['--eval', rpmLoop(file)], { maxBuffer: 1 << 26 })).stdout, pairs.length));
}

// One JSON pair a line, so no character of a version can break the format.
const pep440Script = `import json, sys
from packaging.version import InvalidVersion, Version

def version(text):
    try:
        return Version(text)
    except InvalidVersion:
        return None

with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        a, b = (version(text) for text in json.loads(line))
        print("invalid" if a is None or b is None else (a > b) - (a < b))`;

/** `packaging.version.Version` (what pip uses) on each pair: -1, 0 or 1, or "invalid" when it rejects either version. */
export function pep440Compare(pairs: readonly (readonly [string, string])[]): Promise<(number | 'invalid')[]> {
  // -I: no user site or PYTHONPATH, so the packaging found is Debian's.
  return withLines(pairs.map((pair) => JSON.stringify(pair)), async (file) =>
    answers((await run(debianPython, ['-I', '-c', pep440Script, file], { maxBuffer: 1 << 26 })).stdout, pairs.length).map((a) => (a === 'invalid' ? a : Number(a))),
  );
}

/** Whether `packaging.version.Version` takes each version. */
export async function pep440Accepts(versions: readonly string[]): Promise<boolean[]> {
  return (await pep440Compare(versions.map((v) => [v, v] as const))).map((a) => a !== 'invalid');
}

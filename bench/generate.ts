/**
 * The benchmark corpus: N deterministic, valid, varied OSSN-like notes of
 * about 6.9 KB each. Note i depends only on (seed, i, N), never on the
 * notes before it, so any note can be regenerated alone.
 *
 * Every note has the five sections of the template; across the corpus there
 * are ordered-list and `###` steps, `sh` blocks and `file=` config snippets,
 * `Role:`/`Verify:`/`Rollback:`/`Kind:` lines, tables, https links, bare
 * URLs and e-mail addresses, verify entries of every kind, affects of every
 * ecosystem, revisions, and withdrawn notes with their reason.
 */
import { mixSeed, Random } from './random.ts';
import { escapeRegExp, indentBlock, slugify, wrap, yamlScalar, yamlSingleQuoted } from './text.ts';
import { debianReleases, discussion, flaws, people, redHatReleases, releases, services, stepIntros, summaryOpeners, withdrawnReasons, type Flaw, type Service } from './vocabulary.ts';

/** The seed of the published figures; change it only with BENCHMARKS.md. */
export const defaultSeed = 20140318;

export interface GeneratedNote {
  id: string;
  /** File name inside the notes folder, e.g. `OSSN-0042.md`. */
  fileName: string;
  text: string;
}

const firstDay = Date.UTC(2011, 0, 3);
const lastDay = Date.UTC(2025, 11, 15);
const dayMs = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The note id for a 1-based index: OSSN-0001 … OSSN-10000. */
export function noteId(index: number): string {
  return `OSSN-${String(index).padStart(4, '0')}`;
}

interface AffectedEntry {
  ecosystem: 'deb' | 'rpm' | 'semver' | 'release' | 'generic';
  lines: string[];
  /** Fixed version, for the verify entry that checks it. */
  fixed?: string;
  release?: string;
}

interface VerifyPlan {
  id: string;
  kind: 'deb' | 'rpm' | 'semver' | 'present' | 'absent' | 'stdout' | 'exit';
  yaml: string;
}

/** Everything drawn for one note before it is written out. */
interface NotePlan {
  random: Random;
  id: string;
  service: Service;
  flaw: Flaw;
  date: number;
  affects: AffectedEntry[];
  verify: VerifyPlan[];
  releaseRun: string[];
}

function publicationDate(random: Random, index: number, count: number): number {
  const fraction = count > 1 ? (index - 1) / (count - 1) : 0;
  const base = firstDay + Math.floor(fraction * ((lastDay - firstDay) / dayMs)) * dayMs;
  return Math.min(lastDay, base + random.int(0, 9) * dayMs);
}

function releaseRun(random: Random, date: number): string[] {
  // Two OpenStack releases a year since Diablo (autumn 2011).
  const year = new Date(date).getUTCFullYear() + new Date(date).getUTCMonth() / 12;
  const newest = Math.max(0, Math.min(releases.length - 1, Math.floor((year - 2011.7) * 2)));
  const length = random.int(1, 4);
  return releases.slice(Math.max(0, newest - length + 1), newest + 1);
}

function debianVersion(random: Random, date: number): { release: string; fixed: string; introduced: string } {
  const year = new Date(date).getUTCFullYear();
  const major = Math.max(7, Math.min(12, 7 + Math.floor((year - 2013) / 2)));
  const release = debianReleases[major - 7] ?? 'Debian:12';
  const upstream = `${random.int(1, 29)}.${random.int(0, 9)}.${random.int(0, 12)}`;
  const epoch = random.chance(0.4) ? `${random.int(1, 3)}:` : '';
  const debian = random.int(1, 6);
  return { release, introduced: `${epoch}${upstream}-1`, fixed: `${epoch}${upstream}-${debian}+deb${major}u${random.int(1, 9)}` };
}

function rpmVersion(random: Random, date: number): { release: string; fixed: string } {
  const year = new Date(date).getUTCFullYear();
  const el = year < 2015 ? 6 : year < 2020 ? 7 : year < 2023 ? 8 : 9;
  const epoch = random.chance(0.3) ? `${random.int(1, 12)}:` : '';
  return { release: redHatReleases[el - 6]!, fixed: `${epoch}${random.int(1, 29)}.${random.int(0, 9)}.${random.int(0, 12)}-${random.int(1, 90)}.el${el}` };
}

function affectsFor(random: Random, service: Service, date: number, run: string[]): AffectedEntry[] {
  const entries: AffectedEntry[] = [
    { ecosystem: 'release', lines: [`product: ${yamlScalar(service.product)}`, `vendor: ${yamlScalar(service.vendor)}`, 'ecosystem: release', `releases: [${run.map(yamlScalar).join(', ')}]`] },
  ];
  if (random.chance(0.75)) {
    const deb = debianVersion(random, date);
    entries.push({ ecosystem: 'deb', fixed: deb.fixed, release: deb.release, lines: [`product: ${yamlScalar(service.product)}`, 'vendor: Debian', `package: ${service.package}`, 'ecosystem: deb', `releases: [${JSON.stringify(deb.release)}]`, `introduced: ${JSON.stringify(deb.introduced)}`, `fixed: ${JSON.stringify(deb.fixed)}`] });
  }
  if (random.chance(0.55)) {
    const rpm = rpmVersion(random, date);
    entries.push({ ecosystem: 'rpm', fixed: rpm.fixed, release: rpm.release, lines: [`product: ${yamlScalar(service.product)}`, 'vendor: Red Hat', `package: ${service.package}`, 'ecosystem: rpm', `releases: [${JSON.stringify(rpm.release)}]`, `fixed: ${JSON.stringify(rpm.fixed)}`] });
  }
  if (random.chance(0.35)) {
    const major = random.int(1, 30);
    const minor = random.int(0, 9);
    const fixed = `${major}.${minor}.${random.int(1, 9)}`;
    entries.push({ ecosystem: 'semver', fixed, lines: [`product: ${yamlScalar(`${service.short} (upstream)`)}`, `vendor: ${yamlScalar(service.vendor)}`, `package: ${service.package}`, 'ecosystem: semver', `introduced: "${major}.${minor}.0"`, `fixed: "${fixed}"`] });
  }
  if (random.chance(0.25)) {
    entries.push({ ecosystem: 'generic', lines: [`product: ${yamlScalar(`${service.short} container images`)}`, 'vendor: Example Cloud', 'ecosystem: generic', `versions: [${JSON.stringify(`images built before ${isoDay(date)}`)}]`] });
  }
  return entries;
}

function verifyFor(random: Random, service: Service, flaw: Flaw, affects: AffectedEntry[]): VerifyPlan[] {
  const plans: VerifyPlan[] = [];
  const stem = slugify(service.package);
  const entry = (id: string, kind: VerifyPlan['kind'], title: string, source: string, expect: string) =>
    plans.push({ id, kind, yaml: [`  - id: ${id}`, `    title: ${yamlScalar(title)}`, `    ${source}`, `    expect: ${expect}`].join('\n') });
  for (const affected of affects) {
    if (affected.ecosystem === 'deb' && affected.fixed) {
      entry(`${stem}-fixed-deb`, 'deb', `${service.package} is at a fixed version (${affected.release})`, `run: dpkg-query -W -f='\${Version}\\n' ${service.package}`, `{ version: ${JSON.stringify(`>= ${affected.fixed}`)}, scheme: deb }`);
    } else if (affected.ecosystem === 'rpm' && affected.fixed) {
      const format = affected.fixed.includes(':') ? '%{EPOCH}:%{VERSION}-%{RELEASE}' : '%{VERSION}-%{RELEASE}';
      entry(`${stem}-fixed-rpm`, 'rpm', `${service.package} is at a fixed version (${affected.release})`, `run: rpm -q --qf '${format}\\n' ${service.package}`, `{ version: ${JSON.stringify(`>= ${affected.fixed}`)}, scheme: rpm }`);
    } else if (affected.ecosystem === 'semver' && affected.fixed) {
      entry(`${stem}-fixed-upstream`, 'semver', `${service.short} reports a fixed version`, `run: ${yamlSingleQuoted(`${service.versionCommand} | grep -Eo '[0-9]+[.][0-9]+[.][0-9]+' | head -n 1`)}`, `{ version: ">= ${affected.fixed}", scheme: semver }`);
    }
  }
  // Python settings quote their values; ini and conf files do not.
  const option = `^\\s*${escapeRegExp(flaw.option)}\\s*=\\s*`;
  const quote = service.configLang === 'python' ? '"?' : '';
  entry(`${slugify(flaw.option)}-safe`, 'present', `${flaw.option} has the safe value`, `file: ${service.configFile}`, `{ present: ${yamlSingleQuoted(`${option}${quote}${escapeRegExp(flaw.safe)}${quote}\\s*$`)} }`);
  if (random.chance(0.6)) {
    entry(`${slugify(flaw.option)}-unsafe-absent`, 'absent', `${flaw.option} is not set to ${flaw.unsafe}`, `file: ${service.configFile}`, `{ absent: ${yamlSingleQuoted(`${option}${quote}${escapeRegExp(flaw.unsafe)}${quote}\\s*$`)} }`);
  }
  if (random.chance(0.6)) {
    entry('config-mode', 'stdout', `${service.configFile} is 640 root:${service.group}`, `run: stat -L -c '%a %U %G' ${service.configFile}`, `{ stdout: ${yamlSingleQuoted(`^640 root ${service.group}$`)} }`);
  }
  if (random.chance(0.7)) {
    entry(`${slugify(service.unit)}-active`, 'exit', `${service.unit} is running`, `run: systemctl is-active --quiet ${service.unit}`, '{ exit: 0 }');
  }
  return plans;
}

function plan(index: number, count: number, seed: number): NotePlan {
  const random = new Random(mixSeed(seed, index));
  const service = random.pick(services);
  const flaw = random.pick(flaws);
  const date = publicationDate(random, index, count);
  const run = releaseRun(random, date);
  const affects = affectsFor(random, service, date, run);
  const verify = verifyFor(random, service, flaw, affects);
  return { random, id: noteId(index), service, flaw, date, affects, verify, releaseRun: run };
}

function fill(template: string, p: NotePlan): string {
  return template
    .replaceAll('{svc}', p.service.short)
    .replaceAll('{file}', p.service.configFile)
    .replaceAll('{option}', p.flaw.option)
    .replaceAll('{unit}', p.service.unit)
    .replaceAll('{role}', p.service.role);
}

function frontMatter(p: NotePlan): string {
  const { random, service, flaw } = p;
  const year = new Date(p.date).getUTCFullYear();
  const lines = ['---', `id: ${p.id}`, `title: ${yamlScalar(`${service.short} ${flaw.title}`)}`, `date: ${isoDay(p.date)}`];
  const withdrawn = random.chance(0.05);
  lines.push(`status: ${withdrawn ? 'withdrawn' : 'published'}`);
  if (withdrawn) lines.push(`withdrawn_reason: ${JSON.stringify(random.pick(withdrawnReasons))}`);
  if (random.chance(0.9)) lines.push(`severity: ${random.pick(['low', 'medium', 'medium', 'high', 'high', 'critical'])}`);
  const cves = Array.from({ length: random.int(0, 2) }, () => `CVE-${year}-${random.int(1000, 29999)}`);
  lines.push(`cve: [${[...new Set(cves)].join(', ')}]`);
  lines.push(`cwe: [${flaw.cwe}]`);
  lines.push('authors:');
  for (const person of random.sample(people, random.int(1, 2))) {
    lines.push(`  - { name: ${yamlScalar(person.name)}, affiliation: ${yamlScalar(person.affiliation)} }`);
  }
  const bug = random.int(1_000_000, 2_099_999);
  lines.push('references:');
  lines.push(`  - { url: "${service.bugs}/+bug/${bug}", type: bug }`);
  lines.push(`  - { url: "https://security.example.org/advisories/${p.id}/", type: advisory, title: "Security note ${p.id}" }`);
  for (const cve of new Set(cves)) lines.push(`  - { url: "https://nvd.nist.gov/vuln/detail/${cve}", type: web }`);
  if (random.chance(0.5)) lines.push(`  - { url: "${service.repo}/commit/${random.int(0x1000000, 0xfffffff).toString(16)}", type: fix }`);
  if (random.chance(0.4)) lines.push(`  - { url: "https://docs.example.org/security-guide/${slugify(service.short)}.html", type: article, title: "Hardening ${service.short}" }`);
  lines.push('affects:');
  for (const affected of p.affects) lines.push(`  - ${affected.lines.join('\n    ')}`);
  lines.push('verify:');
  for (const entry of p.verify) lines.push(entry.yaml);
  const revisions = random.pick([0, 0, 0, 0, 0, 1, 1, 1, 2, 3]);
  if (revisions > 0) {
    lines.push('revisions:');
    let day = p.date;
    for (let r = 1; r <= revisions; r++) {
      day = Math.min(lastDay, day + random.int(3, 120) * dayMs);
      const summary = r === 1 ? `Added the fixed package versions for ${p.affects.at(-1)?.release ?? 'the listed releases'}.` : `Clarified which ${service.role} need the change and corrected the restart command.`;
      lines.push(`  - { date: ${isoDay(day)}, summary: ${JSON.stringify(summary)} }`);
    }
  }
  lines.push(`lists: [${random.chance(0.3) ? 'announce, discuss' : 'announce'}]`);
  return lines.join('\n') + '\n---\n';
}

function paragraph(p: NotePlan, sentences: string[]): string {
  return wrap(sentences.map((s) => fill(s, p)).join(' '));
}

function summary(p: NotePlan): string {
  const { random, service, flaw } = p;
  const fixedIn = p.affects.filter((a) => a.fixed).map((a) => `\`${a.fixed}\``);
  const parts = [random.pick(summaryOpeners), flaw.problem, flaw.impact];
  if (fixedIn.length > 0) parts.push(`Fixed packages are available (${fixedIn.join(', ')}).`);
  else parts.push(`Until a fix is released, change the \`${flaw.option}\` setting as described below.`);
  const second = [`The releases concerned are ${p.releaseRun.join(', ')}.`, random.pick(discussion), `The steps under Recommended Actions name the checks that prove each of them done on the ${service.role}.`];
  return `## Summary\n\n${paragraph(p, parts)}\n\n${paragraph(p, second)}\n`;
}

function affectedSection(p: NotePlan): string {
  const { random, service } = p;
  const items = [`- ${service.product}: ${p.releaseRun.join(', ')}`];
  for (const affected of p.affects) {
    if (affected.ecosystem === 'deb') items.push(wrap(`- ${affected.release} \`${service.package}\` before ${affected.fixed}`, 72, '  '));
    if (affected.ecosystem === 'rpm') items.push(wrap(`- ${affected.release} \`${service.package}\` before ${affected.fixed}`, 72, '  '));
    if (affected.ecosystem === 'semver') items.push(`- Upstream ${service.short} releases before ${affected.fixed}`);
    if (affected.ecosystem === 'generic') items.push(`- Container images of ${service.short} built from the affected packages`);
  }
  const scope = paragraph(p, [`Deployments that do not run ${service.short} are not affected.`, `Other services on the same ${service.role} are not affected by this flaw, but review the related notes listed under Contacts / References.`]);
  let out = `## Affected Services / Software\n\n${items.join('\n')}\n\n${scope}\n`;
  const packaged = p.affects.filter((a) => a.fixed && a.release);
  if (packaged.length > 0 && random.chance(0.7)) {
    const rows = packaged.map((a) => `| ${a.release} | \`${service.package}\` | \`${a.fixed}\` |`);
    out += `\n| Distribution | Package | Fixed version |\n| --- | --- | --- |\n${rows.join('\n')}\n`;
  }
  return out;
}

function discussionSection(p: NotePlan): string {
  const { random, service, flaw } = p;
  const paragraphs: string[] = [];
  const pool = random.sample(discussion, discussion.length);
  const take = (n: number) => pool.splice(0, n);
  paragraphs.push(paragraph(p, [flaw.problem, ...take(2)]));
  paragraphs.push(paragraph(p, [...take(3), `The upstream report is at ${service.bugs}/+bug/${random.int(1_000_000, 2_099_999)} and has the full history.`]));
  paragraphs.push(paragraph(p, [...take(2), `See the [${service.short} configuration reference](https://docs.example.org/${slugify(service.short)}/latest/configuration/) for the meaning of \`${flaw.option}\`.`]));
  if (random.chance(0.6)) {
    paragraphs.push(`| Option | Unsafe value | Safe value |\n| --- | --- | --- |\n| \`${flaw.option}\` | \`${flaw.unsafe}\` | \`${flaw.safe}\` |`);
  }
  if (random.chance(0.5)) paragraphs.push(wrap(`> ${fill(take(1)[0] ?? discussion[0]!, p)}`, 72, '> '));
  paragraphs.push(paragraph(p, take(3)));
  paragraphs.push(paragraph(p, [...take(2), `Deployments that cannot change \`${flaw.option}\` right away should at least limit access to the ${service.role} to the management network.`]));
  if (random.chance(0.4)) {
    paragraphs.push(paragraph(p, [`Questions about this note can go to security@example.org or to the discussion list, and the archive is at https://lists.example.org/archives/cloud-discuss/ for reference.`]));
  }
  return `## Discussion\n\n${paragraphs.join('\n\n')}\n`;
}

interface StepPlan {
  title: string;
  prose: string;
  blocks: string[];
  fields: string[];
}

function configSnippet(p: NotePlan): string {
  const { service, flaw } = p;
  const lang = service.configLang;
  if (lang === 'python') return `\`\`\`python file=${service.configFile}\n${flaw.option} = ${JSON.stringify(flaw.safe)}\n\`\`\``;
  if (lang === 'ini') return `\`\`\`ini file=${service.configFile}\n[${service.section}]\n${flaw.option} = ${flaw.safe}\n\`\`\``;
  return `\`\`\`conf file=${service.configFile}\n# ${flaw.title.slice(0, 60)}\n${flaw.option} = ${flaw.safe}\n\`\`\``;
}

function steps(p: NotePlan): StepPlan[] {
  const { random, service, flaw } = p;
  const ids = (kinds: VerifyPlan['kind'][]) => p.verify.filter((v) => kinds.includes(v.kind)).map((v) => `\`${v.id}\``);
  const planned: StepPlan[] = [];
  const versionIds = ids(['deb', 'rpm', 'semver']);
  if (p.affects.some((a) => a.ecosystem === 'deb' || a.ecosystem === 'rpm')) {
    const blocks: string[] = [];
    if (p.affects.some((a) => a.ecosystem === 'deb')) blocks.push(`\`\`\`sh\n# Debian and Ubuntu\napt-get update\napt-get install --only-upgrade ${service.package}\n\`\`\``);
    if (p.affects.some((a) => a.ecosystem === 'rpm')) blocks.push(`\`\`\`sh\n# Red Hat Enterprise Linux and CentOS\nyum update ${service.package}\n\`\`\``);
    planned.push({ title: `Upgrade ${service.package}.`, prose: random.pick(stepIntros.upgrade), blocks, fields: [`Role: ${service.role}`, ...(versionIds.length ? [`Verify: ${versionIds.join(', ')}`] : [])] });
  }
  if (service.role === 'compute nodes' && random.chance(0.5)) {
    planned.push({ title: 'Move instances off the host.', prose: random.pick(stepIntros.evacuate), blocks: ['```sh\nnova host-evacuate-live "$HOST"\nnova list --all-tenants --host "$HOST"\n```'], fields: [`Role: ${service.role}`, 'Kind: evacuate'] });
  }
  const configIds = ids(['present', 'absent']);
  planned.push({
    title: `Set ${flaw.option} to ${flaw.safe}.`,
    prose: `${random.pick(stepIntros.configure)} In \`${service.configFile}\`, set \`${flaw.option}\` as shown.`,
    blocks: [configSnippet(p)],
    fields: [`Role: ${service.role}`, `Verify: ${configIds.join(', ')}`, ...(random.chance(0.5) ? [`Rollback: restore the previous ${service.configFile.split('/').at(-1)} and restart ${service.unit}.`] : []), ...(random.chance(0.3) ? [`Kind: ${flaw.kind}`] : [])],
  });
  const modeIds = ids(['stdout']);
  if (modeIds.length > 0) {
    planned.push({ title: 'Restrict the configuration file.', prose: 'Only root and the service account may read it.', blocks: [`\`\`\`sh\nchown root:${service.group} ${service.configFile}\nchmod 640 ${service.configFile}\n\`\`\``], fields: [`Role: ${service.role}`, `Verify: ${modeIds.join(', ')}`] });
  }
  const activeIds = ids(['exit']);
  if (random.chance(0.5)) {
    const shown = service.configLang === 'python' ? `${flaw.option} = ${JSON.stringify(flaw.safe)}` : `${flaw.option} = ${flaw.safe}`;
    planned.push({ title: 'Check the running configuration.', prose: random.pick(stepIntros.verify), blocks: [`\`\`\`console\n$ grep ${flaw.option} ${service.configFile}\n${shown}\n\`\`\``], fields: [`Role: ${service.role}`, 'Kind: manual'] });
  }
  planned.push({ title: `Restart ${service.unit}.`, prose: random.pick(stepIntros.restart), blocks: [`\`\`\`sh\nsystemctl restart ${service.unit}\n\`\`\``], fields: activeIds.length > 0 ? [`Verify: ${activeIds.join(', ')}`] : [] });
  return planned;
}

function actionsSection(p: NotePlan): string {
  const planned = steps(p);
  if (p.random.chance(0.6)) {
    const items = planned.map((step, i) => {
      const lead = wrap(`**${step.title}** ${step.prose}`, 69, '   ');
      const parts = [lead, ...step.blocks.map((b) => indentBlock(b, '   ')), ...(step.fields.length ? [indentBlock(step.fields.join('\n'), '   ')] : [])];
      return `${i + 1}. ${parts.join('\n\n')}`;
    });
    return `## Recommended Actions\n\n${items.join('\n\n')}\n`;
  }
  const sections = planned.map((step) => [`### ${step.title.replace(/\.$/, '')}`, wrap(step.prose), ...step.blocks, ...(step.fields.length ? [step.fields.join('\n')] : [])].join('\n\n'));
  return `## Recommended Actions\n\n${sections.join('\n\n')}\n`;
}

function referencesSection(p: NotePlan, index: number): string {
  const { random, service } = p;
  const items = [
    '- Authors: the Example Cloud Security Team',
    `- Original report: ${service.bugs}/+bug/${random.int(1_000_000, 2_099_999)}`,
    `- Source repository: <${service.repo}>`,
    `- Contact: security@example.org (PGP key at https://security.example.org/pgp.asc)`,
  ];
  if (index > 1) {
    const other = noteId(random.int(1, index - 1));
    items.push(`- Related: [${other}](https://security.example.org/advisories/${other}/)`);
  }
  let out = `## Contacts / References\n\n${items.join('\n')}\n`;
  if (random.chance(0.5)) {
    const reported = isoDay(p.date - random.int(7, 90) * dayMs);
    out += `\n| Date | Event |\n| --- | --- |\n| ${reported} | Reported to the security team |\n| ${isoDay(p.date)} | Note published |\n`;
  }
  return out;
}

/** Generates note `index` (1-based) of a corpus of `count` notes. */
export function generateNote(index: number, count: number, seed = defaultSeed): GeneratedNote {
  const p = plan(index, count, seed);
  const body = [summary(p), affectedSection(p), discussionSection(p), actionsSection(p), referencesSection(p, index)].join('\n');
  return { id: p.id, fileName: `${p.id}.md`, text: `${frontMatter(p)}\n${body}` };
}

/** The whole corpus, note by note, so 10,000 notes never sit in memory at once. */
export function* generateCorpus(count: number, seed = defaultSeed): Generator<GeneratedNote> {
  for (let index = 1; index <= count; index++) yield generateNote(index, count, seed);
}

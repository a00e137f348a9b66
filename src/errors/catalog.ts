/**
 * The catalog of stable rule ids. An id, once published, never changes
 * meaning: CI configurations and `--max-warnings` budgets depend on it.
 * Each entry says what the rule guards and how to fix a finding.
 */
export interface RuleInfo {
  severity: 'error' | 'warning';
  title: string;
  hint: string;
}

export const catalog = {
  // Reading the file
  'file-too-large': { severity: 'error', title: 'Note is larger than the limit', hint: 'Split the note or move long logs to a linked reference; notes are limited to 256 KiB.' },
  'file-binary': { severity: 'error', title: 'File is binary, not text', hint: 'Only UTF-8 Markdown files belong in notes/; remove or rename this file.' },
  'file-encoding': { severity: 'error', title: 'File is not valid UTF-8', hint: 'Re-save the file as UTF-8 (without a byte-order mark).' },
  'file-unreadable': { severity: 'error', title: 'File cannot be read', hint: 'Check that the path exists and is readable.' },
  'nesting-too-deep': { severity: 'error', title: 'Lists or quotes are nested too deeply', hint: 'Flatten the structure; herald accepts at most 32 levels of nested lists and block quotes.' },
  // Front matter
  'frontmatter-missing': { severity: 'error', title: 'Front matter is missing', hint: 'Start the note with a `---` line, the YAML fields, and a closing `---` line.' },
  'frontmatter-engine': { severity: 'error', title: 'Front matter language is not allowed', hint: 'Only YAML front matter is accepted; herald never executes front matter. Replace `---js` (or similar) with plain `---`.' },
  'yaml-syntax': { severity: 'error', title: 'Front matter is not valid YAML', hint: 'Fix the YAML at the position shown; quote values that contain `:` or `#`.' },
  'schema-required': { severity: 'error', title: 'Required field is missing', hint: 'Add the field; see docs/note-format.md for every field.' },
  'schema-type': { severity: 'error', title: 'Field has the wrong type or value', hint: 'Use the type and value the message names.' },
  'schema-unknown-key': { severity: 'error', title: 'Unknown field', hint: 'Remove the field or correct its spelling.' },
  // Identity and metadata
  'id-format': { severity: 'error', title: 'Advisory id is malformed', hint: 'Use `<PREFIX>-NNNN` (e.g. OSSN-0007), or `<PREFIX>-XXXX` until an id is assigned.' },
  'id-duplicate': { severity: 'error', title: 'Two notes share an id', hint: 'Give each note its own id; run `herald assign-ids` to allocate the next free one.' },
  'id-filename-mismatch': { severity: 'error', title: 'Id and file name disagree', hint: 'Name the file after the id (e.g. notes/OSSN-0007.md) or fix the id.' },
  'title-too-long': { severity: 'error', title: 'Title is too long', hint: 'Keep titles to 100 characters: they become mail subjects and page titles.' },
  'title-control-char': { severity: 'error', title: 'Title contains a control character or line break', hint: 'Write the title on one line with printable characters only.' },
  'header-control-char': { severity: 'error', title: 'A value that goes into a mail header contains a control character', hint: 'Remove line breaks and control characters from the value.' },
  'date-future': { severity: 'error', title: 'Date is in the future', hint: 'Use the date the note was (or will be) first published, not later than today; use `embargo` to hold a note back.' },
  'revisions-order': { severity: 'error', title: 'Revisions are out of order', hint: 'List revisions oldest first, each dated on or after the previous one and the publication date.' },
  'withdrawn-reason-missing': { severity: 'error', title: 'Withdrawn note has no reason', hint: 'Add `withdrawn_reason:` saying why the note was withdrawn.' },
  'embargo-invalid': { severity: 'error', title: 'Embargo is not a valid date-time', hint: 'Write the embargo as an ISO 8601 date-time with a time zone, e.g. 2014-04-07T17:00:00Z.' },
  'list-unknown': { severity: 'error', title: 'Mailing list is not configured', hint: 'Use a list name from `mail.lists` in herald.config.yaml.' },
  // Links
  'url-not-https': { severity: 'error', title: 'URL is not https', hint: 'Use the https:// form of the link.' },
  'url-unsafe': { severity: 'error', title: 'Link uses a script or data URL', hint: 'Link to an https:// page instead; script and data URLs are never published.' },
  'link-self-reference': { severity: 'error', title: 'Link to this advisory points at another note', hint: 'Fix the link so that a reference to this advisory names its own id.' },
  // Body structure
  'section-missing': { severity: 'error', title: 'Required section is missing', hint: 'Add the section with its canonical heading (see the note template).' },
  'section-heading-drift': { severity: 'warning', title: 'Section heading differs from the canonical one', hint: 'Use the canonical heading so every output finds the section.' },
  'step-empty': { severity: 'error', title: 'Step has nothing to do', hint: 'Describe the action, add a command block, or remove the step.' },
  'line-too-long': { severity: 'warning', title: 'Code or config line is wider than 72 columns', hint: 'Break the line (e.g. with a trailing backslash): code cannot be re-wrapped for a 72-column email.' },
  // Verification
  'verify-no-expectation': { severity: 'error', title: 'Verify entry has no expectation', hint: 'Add `expect:` with one of version, present, absent, stdout or exit.' },
  'verify-no-target': { severity: 'error', title: 'Verify entry has nothing to check', hint: 'Give the entry either `run:` (a command) or `file:` (a config file), not both.' },
  'verify-invalid-regex': { severity: 'error', title: 'Verify pattern is not a valid regular expression', hint: 'Fix the pattern; it is a JavaScript/PCRE-compatible regular expression.' },
  'verify-invalid-version': { severity: 'error', title: 'Verify version or operator is invalid', hint: 'Write `<op> <version>` with op one of < <= = >= > != and a version valid in the scheme.' },
  'verify-duplicate-id': { severity: 'error', title: 'Two verify entries share an id', hint: 'Give each verify entry its own id within the note.' },
  'verify-unknown-ref': { severity: 'error', title: 'Step names a verify entry that does not exist', hint: 'Use an id from the note\u2019s `verify` list.' },
  // Blog posts
  'post-not-structured': { severity: 'warning', title: 'Blog post lacks structured fields', hint: 'Add the fields named to make the post a first-class advisory.' },
  // Config
  'config-invalid': { severity: 'error', title: 'Configuration is invalid', hint: 'Fix herald.config.yaml at the position shown.' },
  // Rendering
  'render-failed': { severity: 'error', title: 'Rendering failed', hint: 'This is a bug in herald or in a template; report it with the note that triggers it.' },
  'render-timeout': { severity: 'error', title: 'Rendering took too long', hint: 'Simplify the note; a single note may take at most 2 s to render.' },
  // GitHub and the pull-request workflow (issue 7)
  'github-not-found': { severity: 'error', title: 'GitHub says the resource does not exist', hint: 'Check the repository (`github.repository` or GITHUB_REPOSITORY), the pull request number, and that the token can see the repository.' },
  'github-unprocessable': { severity: 'error', title: 'GitHub refused the request as invalid', hint: 'Read GitHub\u2019s reason in the message; it names the field it rejected.' },
  'github-forbidden': { severity: 'error', title: 'GitHub refused the token', hint: 'Check that GITHUB_TOKEN is valid and the workflow grants the permission the command needs (pull-requests: write to comment, contents: write to create releases).' },
  'github-unavailable': { severity: 'error', title: 'GitHub could not be reached or kept failing', hint: 'Retry later; herald already retried transient failures and waited out rate limits.' },
  'github-head-mismatch': { severity: 'error', title: 'Pull request head is not the commit the preview was made from', hint: 'The pull request moved on; the newer run will post its own preview.' },
  'assign-ids-locked': { severity: 'error', title: 'Another assign-ids run holds the lock', hint: 'Wait for the other run to finish; if none is running, delete the lock file named in the message.' },
  'assign-ids-guard': { severity: 'error', title: 'The last-assigned-id guard file is malformed', hint: 'The file holds one line, the last assigned id (e.g. OSSN-0042); fix it or restore it from git.' },
  'assign-ids-collision': { severity: 'error', title: 'The file a note would be renamed to already exists', hint: 'Rename or remove the existing file; each note lives in notes/<ID>.md.' },
  'notes-broken': { severity: 'error', title: 'Notes have errors', hint: 'Run `herald lint` and fix every error first; herald publishes and assigns ids only from a clean set of notes.' },
  'publish-channel-failed': { severity: 'error', title: 'A publishing channel failed', hint: 'Fix the cause named in the message and run `herald publish` again: channels that already succeeded are not repeated.' },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof catalog;

export function ruleInfo(id: RuleId): RuleInfo {
  return catalog[id];
}

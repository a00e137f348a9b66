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
  'notes-folder-empty': { severity: 'warning', title: 'The notes folder holds no notes', hint: 'If notes were meant to be there, check the path: run herald in the repository\u2019s root, where the notes folder is, or name the folder that holds the notes (`herald lint DIR`, `herald build --notes DIR`). To start one, `herald new "Title"` writes the first note.' },
  'notes-link-outside': { severity: 'error', title: 'A folder link leads out of the notes folder', hint: 'Keep the notes inside the notes folder: move the folder the link points to into it (a link within the notes folder is followed), or remove the link. A link to a single note file may point anywhere.' },
  'notes-folder-unreadable': { severity: 'error', title: 'A notes folder cannot be read', hint: 'Let the user herald runs as list and enter the folder the message names, and each folder above it: `chmod u+rx` it as its owner (`a+rx` for everyone), or run herald as the user who owns the notes. A folder that holds no notes can move out of the notes folder, or take a name that starts with a dot: herald skips those.' },
  'permission-denied': { severity: 'error', title: 'The system refused herald a file or folder', hint: 'Give the user herald runs as the permission the message names (to read or write the file, to write the folder that holds it, to enter each folder on its way), or run herald as the user who owns the files.' },
  'nesting-too-deep': { severity: 'error', title: 'Lists or quotes are nested too deeply', hint: 'Flatten the structure; herald accepts at most 32 levels of nested lists and block quotes.' },
  // Front matter
  'frontmatter-missing': { severity: 'error', title: 'Front matter is missing', hint: 'Start the note with a `---` line, the YAML fields, and a closing `---` line.' },
  'frontmatter-unclosed': { severity: 'error', title: 'Front matter is never closed', hint: 'Add a `---` line after the last YAML field, before the Markdown body.' },
  'frontmatter-closed-early': { severity: 'error', title: 'A front-matter field comes after the front matter ended', hint: 'Remove the stray `---` line above the field, so that the fields after it are read as fields again.' },
  'frontmatter-engine': { severity: 'error', title: 'Front matter language is not allowed', hint: 'Only YAML front matter is accepted; herald never executes front matter. Replace `---js` (or similar) with plain `---`.' },
  'yaml-syntax': { severity: 'error', title: 'Front matter is not valid YAML', hint: 'Fix the YAML at the position shown; quote values that contain `:` or `#`.' },
  'yaml-comment-in-value': { severity: 'warning', title: 'A value is cut short by a ` #` that YAML reads as a comment', hint: 'Quote the value if the `#` belongs to it; put a comment on a line of its own.' },
  'yaml-tag-unsupported': { severity: 'error', title: 'A YAML tag herald does not read', hint: 'Remove the tag and write the value as plain YAML, quoted if it is text. herald runs nothing from a note and reads no tags but YAML\u2019s own (!!str, !!int, !!float, !!bool, !!null) on values of their type.' },
  'schema-required': { severity: 'error', title: 'Required field is missing', hint: 'Add the field; see docs/note-format.md for every field.' },
  'schema-type': { severity: 'error', title: 'Field has the wrong type or value', hint: 'Use the type and value the message names.' },
  'schema-unknown-key': { severity: 'error', title: 'Unknown field', hint: 'Remove the field or correct its spelling.' },
  // Identity and metadata
  'id-format': { severity: 'error', title: 'Advisory id is malformed', hint: 'Use `<PREFIX>-NNNN` with four to nine digits (e.g. OSSN-0007), or `<PREFIX>-XXXX` until an id is assigned.' },
  'id-duplicate': { severity: 'error', title: 'Two notes share an id', hint: 'Give each note its own id; run `herald assign-ids` to allocate the next free one.' },
  'output-collision': { severity: 'error', title: 'Two advisories would publish the same file', hint: 'Give each advisory its own id, and each blog post its own slug.' },
  'id-filename-mismatch': { severity: 'error', title: 'Id and file name disagree', hint: 'Name the file after the id (e.g. notes/OSSN-0007.md) or fix the id.' },
  'title-too-long': { severity: 'error', title: 'Title is too long', hint: 'Keep titles to 100 characters: they become mail subjects and page titles.' },
  'title-control-char': { severity: 'error', title: 'Title contains a control character or line break', hint: 'Write the title on one line with printable characters only.' },
  'header-control-char': { severity: 'error', title: 'A value that goes into a mail header contains a control character', hint: 'Remove line breaks and control characters from the value.' },
  'date-future': { severity: 'error', title: 'Date is in the future', hint: 'Use the date the note was (or will be) first published, not later than today; use `embargo` to hold a note back.' },
  'revisions-order': { severity: 'error', title: 'Revisions are out of order', hint: 'List revisions oldest first, each dated on or after the previous one and the publication date.' },
  'withdrawn-reason-missing': { severity: 'error', title: 'Withdrawn note has no reason', hint: 'Add `withdrawn_reason:` saying why the note was withdrawn.' },
  'embargo-invalid': { severity: 'error', title: 'Embargo is not a valid date-time', hint: 'Write the embargo as an ISO 8601 date-time with a time zone, e.g. 2014-04-07T17:00:00Z.' },
  'list-none': { severity: 'warning', title: 'Advisory names no mailing list', hint: 'Add `lists:` with a list from mail.lists in herald.config.yaml, so the announcement reaches its readers.' },
  'list-unknown': { severity: 'error', title: 'Mailing list is not configured', hint: 'Use a list name from `mail.lists` in herald.config.yaml.' },
  // Links
  'url-not-https': { severity: 'error', title: 'URL is not https', hint: 'Use the https:// form of the link.' },
  'url-unsafe': { severity: 'error', title: 'Link uses a script or data URL', hint: 'Link to an https:// page instead; script and data URLs are never published.' },
  'image-relative': { severity: 'warning', title: 'Image is relative: no file beside a note is published', hint: 'Link to the image instead of showing it, or serve it from the site\u2019s own host and write its full URL.' },
  'image-external': { severity: 'warning', title: 'Image on another host: the site\u2019s Content-Security-Policy does not load it', hint: 'Link to the image instead of showing it, or serve it from the site\u2019s own host and write its full URL.' },
  'link-relative': { severity: 'warning', title: 'Link is relative', hint: 'Write the full https:// URL, or link another note by its file (OSSN-0004.md).' },
  'link-note-unknown': { severity: 'error', title: 'Link to a note file that is no note, or not at that page', hint: 'Link another note by its file, relative to this one: [OSSN-0004](OSSN-0004.md).' },
  'link-note-private': { severity: 'warning', title: 'Link to a note that is not public yet', hint: 'Publish the linked note first, or remove the link until it is public: on the public site it leads nowhere.' },
  'link-self-reference': { severity: 'error', title: 'Link to this advisory points at another note', hint: 'Fix the link so that a reference to this advisory names its own id.' },
  // Body structure
  'section-missing': { severity: 'error', title: 'Required section is missing', hint: 'Add the section with its canonical heading (see the note template).' },
  'heading-above-sections': { severity: 'error', title: 'A heading is above the level of the section headings', hint: 'Remove it, or make it a section or subsection heading; the page, the mail and the wiki show the front matter\u2019s title as the advisory\u2019s own heading.' },
  'section-heading-drift': { severity: 'warning', title: 'Section heading differs from the canonical one', hint: 'Use the canonical heading so every output finds the section.' },
  'step-kind-unknown': { severity: 'error', title: 'A step\u2019s Kind: line names no step kind', hint: 'Write one of upgrade, configure, disable, restart, evacuate, workaround, manual, or remove the line.' },
  'config-block-no-file': { severity: 'warning', title: 'A step\u2019s config block names no file', hint: 'Name the file in the block\u2019s info string: ```ini file=/etc/nova/nova.conf' },
  'step-outside-list': { severity: 'error', title: 'A step or its field lines are outside the list of steps', hint: 'Indent every line of a step under its text, by the width of its number and the space after it (three spaces for "1. "); the steps are the items of the section\u2019s first numbered list.' },
  'step-empty': { severity: 'error', title: 'Step has nothing to do', hint: 'Describe the action, add a command block, or remove the step.' },
  'bidi-control': { severity: 'error', title: 'Text holds an invisible bidirectional control character', hint: 'Delete the character: most editors do not show it (search for \\u202e, \\u2067 and their kin); right-to-left text displays correctly without it.' },
  'control-char': { severity: 'error', title: 'Text holds a control character or a Unicode line break', hint: 'Delete the character (most editors do not show it; in a quoted YAML value an escape such as "\\N", "\\L" or "\\e" writes one), or write what it stands for: a line break (LF), a tab or a space.' },
  'template-text': { severity: 'error', title: 'Published note still holds the note template\u2019s examples', hint: 'Replace the example with the advisory\u2019s own text, or keep `status: draft` until the note is written.' },
  'template-draft': { severity: 'warning', title: 'Draft still holds the note template\u2019s examples', hint: 'Replace the example with the advisory\u2019s own text; a published note that keeps it is refused (template-text).' },
  'section-duplicate': { severity: 'error', title: 'A section of the template is written twice', hint: 'Merge the two into one section: only the first is read as that section.' },
  'section-order': { severity: 'warning', title: 'The template\u2019s sections are out of order', hint: 'Put the sections in the template\u2019s order: Summary, Affected Services / Software, Discussion, Recommended Actions, Contacts / References.' },
  'section-empty': { severity: 'warning', title: 'A section of the template is empty', hint: 'Write the section\u2019s text, or remove its heading.' },
  'footnote-unused': { severity: 'warning', title: 'Footnote is never referenced', hint: 'Refer to the footnote in the text with its label, or remove it.' },
  'footnote-lookalike': { severity: 'warning', title: 'Bracketed number reads like a footnote mark', hint: 'Make it a footnote (`[^2]` and its definition), or reword it (\u201csource 2\u201d): the mail and the wiki mark footnotes as [1], [2].' },
  'code-fence-unclosed': { severity: 'error', title: 'A code block is never closed', hint: 'Close the block with a fence line like the one that opens it (```) where its code ends.' },
  'line-too-long': { severity: 'warning', title: 'Code or config line is wider than 72 columns', hint: 'Break the line (e.g. with a trailing backslash): code cannot be re-wrapped for a 72-column email.' },
  // Scores
  'cvss-invalid': { severity: 'error', title: 'CVSS vector cannot be read', hint: 'Write a complete CVSS 3.0, 3.1 or 4.0 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.' },
  // Affected versions
  'affects-invalid-version': { severity: 'error', title: 'Affected version is not valid in its ecosystem', hint: 'Write `introduced` and `fixed` as versions of the entry\u2019s ecosystem, or use `ecosystem: generic`.' },
  'affects-empty-range': { severity: 'error', title: 'Fixed version is not later than the introduced one', hint: 'Swap or correct `introduced` and `fixed`: the fix comes after the flaw.' },
  // Verification
  'verify-no-expectation': { severity: 'error', title: 'Verify entry has no expectation', hint: 'Add `expect:` with one of version, present, absent, stdout or exit.' },
  'verify-no-target': { severity: 'error', title: 'Verify entry has nothing to check', hint: 'Give the entry either `run:` (a command) or `file:` (a config file), not both.' },
  'verify-invalid-regex': { severity: 'error', title: 'Verify pattern is not a valid regular expression', hint: 'Fix the pattern; it is a JavaScript/PCRE-compatible regular expression.' },
  'verify-package-unknown': { severity: 'warning', title: 'A check that passes without its package queries a package no affects entry names', hint: 'Name in `run` the package an `affects` entry gives (its `package`), or add that package to `affects`.' },
  'verify-not-installed-query': { severity: 'error', title: 'not_installed needs a plain package query', hint: 'Use `not_installed` on a version check whose `run` is a plain package query: `dpkg-query -W -f=\'${Version}\' NAME` or `rpm -q --qf \'%{EVR}\' NAME`, so that herald can tell a package that is not installed from a command that failed; or remove `not_installed`.' },
  'verify-invalid-version': { severity: 'error', title: 'Verify version or operator is invalid', hint: 'Write `<op> <version>` with op one of < <= = >= > != and a version valid in the scheme.' },
  'verify-command-syntax': { severity: 'error', title: 'Verify command is not valid shell', hint: 'Close the quote, backquote, `$(` or `${` the message names; `sh -n -c \'<command>\'` checks a command without running it.' },
  'verify-duplicate-id': { severity: 'error', title: 'Two verify entries share an id', hint: 'Give each verify entry its own id within the note.' },
  'verify-unknown-ref': { severity: 'error', title: 'Step names a verify entry that does not exist', hint: 'Use an id from the note\u2019s `verify` list.' },
  // Blog posts
  'post-not-structured': { severity: 'warning', title: 'Blog post lacks structured fields', hint: 'Add the fields named to make the post a first-class advisory.' },
  // Checklists (herald check, herald export)
  'checklist-invalid': { severity: 'error', title: 'Checklist file is not a valid herald checklist', hint: 'Rebuild it with `herald build`, or fix it against checklists/schema.json.' },
  // Config
  'config-invalid': { severity: 'error', title: 'Configuration is invalid', hint: 'Fix the configuration file (herald.config.yaml, or the file given with --config) at the position shown.' },
  // Rendering
  'render-failed': { severity: 'error', title: 'Rendering failed', hint: 'This is a bug in herald or in a template; report it with the note that triggers it.' },
  'render-timeout': { severity: 'error', title: 'Rendering took too long', hint: 'Simplify the note; a single note may take at most 2 s to render.' },
  'security-txt-expires': { severity: 'warning', title: 'security.txt expires at the wrong time', hint: 'Set site.security_txt.expires to a date within the next year, or remove it: the default is the build\u2019s day plus 364 days.' },
  'build-write-failed': { severity: 'error', title: 'The build could not write its files', hint: 'Free space on the disk that holds the output folder (--out) and the cache (--cache, default .herald-cache), fix what the message names, or build into folders on another disk. The previous output is as it was.' },
  'output-unwritable': { severity: 'error', title: 'The output folder cannot be written', hint: 'Choose another folder with --out, or fix the permissions: herald writes the output folder, and on a first build a staging folder beside it that it renames into place, so the folder above must be writable too.' },
  'output-not-herald': { severity: 'error', title: 'The output folder holds files herald did not write', hint: 'Give --out a new or empty folder (or one herald built: it has a .herald-manifest.json); herald replaces a folder without one whole, so it never writes over one you made. Move the files away, or remove the folder if nothing in it is yours.' },
  'cache-unwritable': { severity: 'error', title: 'The build cache folder cannot be written', hint: 'Choose another folder with --cache, fix its permissions, or build without a cache (--no-cache).' },
  'search-index-failed': { severity: 'error', title: 'The search index could not be built', hint: 'Pagefind\'s browser code is taken once from the binary of the pagefind npm package: run `npm ci` so that its binary for this platform is installed, then build again.' },
  // herald serve
  'serve-no-site': { severity: 'error', title: 'There is no built site to serve', hint: 'Run `herald build` first, or `herald serve --watch`, which builds before serving.' },
  'serve-watch-limit': { severity: 'error', title: 'The system will not watch more files', hint: 'Raise the limit (Linux: `sudo sysctl fs.inotify.max_user_watches=524288`, and the same line in /etc/sysctl.d/ to keep it), or watch by polling: `herald serve --watch --poll 1000` (more CPU with many notes).' },
  'serve-notes-gone': { severity: 'error', title: 'The notes folder is gone', hint: 'Put the notes folder back (move it back, `git checkout -- notes`, `git stash pop`): serve --watch builds the site again as soon as it is there, and serves the last good build until then.' },
  'serve-listen-failed': { severity: 'error', title: 'The server cannot listen on that address', hint: 'Choose another port with --port (or stop the program that holds this one); --host must be an address of this machine.' },
  // GitHub and the pull-request workflow (issue 7)
  'github-not-found': { severity: 'error', title: 'GitHub says the resource does not exist', hint: 'Check the repository (`github.repository` or GITHUB_REPOSITORY), the pull request number, and that the token can see the repository.' },
  'github-unprocessable': { severity: 'error', title: 'GitHub refused the request as invalid', hint: 'Read GitHub\u2019s reason in the message; it names the field it rejected.' },
  'github-forbidden': { severity: 'error', title: 'GitHub refused the token', hint: 'Check that GITHUB_TOKEN is valid and the workflow grants the permission the command needs (pull-requests: write to comment, contents: write to create releases).' },
  'github-unavailable': { severity: 'error', title: 'GitHub could not be reached or kept failing', hint: 'Retry later; herald already retried transient failures and waited out rate limits.' },
  'github-head-mismatch': { severity: 'error', title: 'Pull request head is not the commit the preview was made from', hint: 'The pull request moved on; the newer run will post its own preview.' },
  'assign-ids-locked': { severity: 'error', title: 'Another assign-ids run holds the lock', hint: 'Wait for the other run to finish; if none is running, delete the lock file named in the message.' },
  'assign-ids-guard': { severity: 'error', title: 'The last-assigned-id guard file is malformed', hint: 'The file holds one line, the last assigned id (e.g. OSSN-0042); fix it or restore it from git.' },
  'assign-ids-collision': { severity: 'error', title: 'The file a note would be renamed to already exists', hint: 'Rename or remove the existing file; each note lives in notes/<ID>.md.' },
  'publish-too-many': { severity: 'error', title: 'More announcements are due than one run may make', hint: 'If these were announced before herald (an archive adopted, the repository renamed, its releases deleted), set `publish.announce_from` to the day herald took over (docs/github.md); if the batch is meant, run `herald publish --max-announcements N` once, or raise `publish.max_announcements`.' },
  'publish-channel-failed': { severity: 'error', title: 'A publishing channel failed', hint: 'Fix the cause named in the message and run `herald publish` again: channels that already succeeded are not repeated.' },
  // Sending announcements (issue 5)
  'subscribers-invalid': { severity: 'error', title: 'Subscribers file has an invalid row', hint: 'Each row is `email,products`: one address, then product names separated by `;` (empty for every note); see docs/mail.md.' },
  'mail-key-unavailable': { severity: 'error', title: 'A signing key cannot be read', hint: 'Check `key_file` or the environment variable named by `key_env` (and `passphrase_env`) in the mail section of herald.config.yaml.' },
  'mail-not-sendable': { severity: 'error', title: 'Advisory cannot be announced yet', hint: 'Drafts, notes under embargo and notes without an assigned id are never mailed: publish the note, wait for the embargo to end, or give a placeholder id its number with `herald assign-ids` first.' },
  'mail-ledger-locked': { severity: 'error', title: 'Another herald send is running', hint: 'Wait for it to finish. If none is running, the lock names a process that is gone and the next run takes it over by itself.' },
  'mail-ledger-corrupt': { severity: 'error', title: 'The mail ledger has an unreadable line', hint: 'The ledger is append-only JSON lines; restore it from a backup or fix the line named (only a torn last line is repaired automatically).' },
  'mail-ledger-unwritable': { severity: 'error', title: 'The mail ledger cannot be written', hint: 'Free space on its disk, or make it writable again (mail.ledger names the file), then run the same herald send with --resume: it sends only what is pending and lists the uncertain messages; add --resend-uncertain to resend those too (same Message-ID).' },
  'mail-run-unfinished': { severity: 'error', title: 'An earlier send of this edition did not finish', hint: 'Run again with --resume to continue where it stopped; add --resend-uncertain to resend the messages whose delivery is unknown (same Message-ID, so receivers can drop duplicates).' },
  'mail-smtp-refused': { severity: 'error', title: 'The SMTP server cannot be used', hint: 'Fix the connection settings in the smtp section (host, port, tls, ca_file, user, password_env); herald never falls back to clear text unless allow_plaintext is set.' },
  'mail-delivery-failed': { severity: 'error', title: 'Some messages were not delivered', hint: 'Read each server reply; fix the cause and run again with --resume: only what was not sent goes out.' },
  // Publishing to a MediaWiki (issue 6)
  'wiki-not-configured': { severity: 'error', title: 'The wiki to publish to is not configured', hint: 'Set `wiki.api_url` (the wiki\u2019s api.php) and `wiki.user` (a bot password user, User@appid) in herald.config.yaml; see docs/wiki.md.' },
  'wiki-password-missing': { severity: 'error', title: 'The wiki bot password is not in the environment', hint: 'Export the bot password in the environment variable named by `wiki.password_env` (HERALD_WIKI_PASSWORD by default); never put it in the config or on the command line.' },
  'wiki-login-failed': { severity: 'error', title: 'The wiki refused the login', hint: 'Check the bot password user (User@appid) and password in Special:BotPasswords, and that the bot password grants editing pages.' },
  'wiki-answer-incomplete': { severity: 'error', title: 'The wiki began to answer but did not finish', hint: 'The wiki sent its answers too slowly, or the connection closed in the middle of them, on every try for the two minutes herald gives one request: an overloaded wiki or database, a proxy or firewall in between that holds back or cuts long answers, or a failing network. Check the wiki\u2019s health and the path to it, then run the push again: the pages written before it stopped are in the ledger.' },
  'wiki-answer-too-large': { severity: 'error', title: 'The wiki\u2019s answer is larger than any herald asks for', hint: 'MediaWiki\u2019s answers to herald are at most a few MiB ($wgAPIMaxResultSize, 8 MiB by default); herald reads at most 32 MiB of one. A larger answer comes from something other than the wiki\u2019s API, or a broken one: check `wiki.api_url` and what answers there (a proxy, a download, an error page that does not end).' },
  'wiki-certificate': { severity: 'error', title: 'The wiki\u2019s TLS certificate cannot be verified', hint: 'For a wiki whose certificate a private CA signed, name that CA\u2019s certificate (PEM) in `wiki.ca_file` in herald.config.yaml: it is trusted for the wiki alone, besides Node\u2019s own CAs (NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment works too, for every connection herald makes). A certificate for another name, or expired, is fixed on the wiki\u2019s side. herald never turns verification off.' },
  'wiki-unreachable': { severity: 'error', title: 'The wiki cannot be reached', hint: 'Check `wiki.api_url` and the network; herald already retried with increasing delays. When the wiki (or a proxy in front of it) kept answering HTTP 429 or 503 with a Retry-After longer than herald waits (10 minutes in all for one request), run the push again later: the pages written before it stopped are in the ledger.' },
  'wiki-read-only': { severity: 'error', title: 'The wiki is in read-only mode', hint: 'Its administrators made it read-only (maintenance, a database switch: $wgReadOnly); nothing is wrong with herald\u2019s config. Run the push again once the wiki is writable: the pages written before it stopped are in the ledger and are not written again.' },
  'wiki-blocked': { severity: 'error', title: 'The wiki blocks herald\u2019s user', hint: 'An administrator of the wiki blocked herald\u2019s user (wiki.user), or, when autoblocked, the IP address herald connects from, which a blocked user used. Ask them to lift the block (Special:BlockList; an autoblock by its id), then run the push again: the pages written before it stopped are in the ledger. A block of some pages only (a partial block) fails those pages alone.' },
  'wiki-permission-denied': { severity: 'error', title: 'herald\u2019s user may not edit the wiki', hint: 'The bot password lacks a grant, or its user a right, that every edit needs. On Special:BotPasswords give it \u201cBasic rights\u201d, \u201cEdit existing pages\u201d, \u201cCreate, edit, and move pages\u201d and \u201cHigh-volume editing\u201d, and check the user\u2019s groups (Special:UserRights) and that the wiki allows editing through the API ($wgEnableWriteAPI, $wgGroupPermissions). See docs/wiki.md.' },
  'wiki-rate-limited': { severity: 'error', title: 'The wiki limits how fast herald may edit', hint: 'The wiki kept refusing herald\u2019s requests as too many ($wgRateLimits), after the retries. Give the bot password the \u201cHigh-volume editing\u201d grant and its user the `noratelimit` right (the bot group has it), or ask the wiki\u2019s administrators to raise the limit; then run the push again: the pages written before it stopped are in the ledger.' },
  'wiki-abuse-filter': { severity: 'error', title: 'An abuse filter of the wiki disallows herald\u2019s edit of a page', hint: 'The wiki\u2019s AbuseFilter extension matched the page\u2019s text (or herald\u2019s user) and refused the edit; the message names the filter and its description. Change what in the note the filter matches, or ask the wiki\u2019s administrators to change the filter (Special:AbuseFilter/<id>) so that the page passes, then run the push again. The other pages were pushed.' },
  'wiki-abuse-filter-warning': { severity: 'error', title: 'An abuse filter of the wiki warns against herald\u2019s edit of a page', hint: 'The wiki\u2019s AbuseFilter extension warned against the edit: it would save the same edit sent again, but the warning is meant for a person, and herald never sends an edit again past it. Check the page\u2019s text (`herald wiki export ID`); if it is right, save that text on the wiki by hand, confirming the warning (the next push finds the page unchanged and records it), or ask the wiki\u2019s administrators to change the filter (Special:AbuseFilter/<id>). The other pages were pushed.' },
  'wiki-cannot-create': { severity: 'error', title: 'herald\u2019s user may edit pages on the wiki but not create them', hint: 'Creating a page takes the right `createpage`, which the user\u2019s groups give ($wgGroupPermissions; Special:UserRights) and which a bot password lets herald use only with the grant \u201cCreate, edit, and move pages\u201d (createeditmovepage, on Special:BotPasswords). The message says which one is missing. herald stops creating pages at the first refusal and still updates the existing ones; run the push again once the right is granted: it creates the pages left out.' },
  'wiki-session-lost': { severity: 'error', title: 'The wiki does not keep herald\u2019s session', hint: 'The wiki forgets herald\u2019s login from one request to the next. Check its session storage: $wgSessionCacheType (by default $wgMainCacheType) must be an object cache that keeps data between requests and is shared by every web server behind the wiki\u2019s address (not CACHE_NONE, nor a per-server APCu behind a load balancer), with room enough that sessions are not evicted; check that the session cookie reaches the wiki and comes back (a proxy, load balancer or firewall in between must pass the Set-Cookie and Cookie headers), and $wgCookieSecure on a wiki served over plain http. Run the push again once it is fixed: the pages written before it stopped are in the ledger.' },
  'wiki-api-error': { severity: 'error', title: 'The wiki answered with an error', hint: 'Read the wiki\u2019s error code and text in the message; it names what it refused.' },
  'wiki-ledger-invalid': { severity: 'error', title: 'The wiki ledger cannot be read', hint: 'The ledger (wiki.ledger, state/wiki-ledger.json by default) records the revision herald last wrote on each page; restore it from version control or a backup. Without it, herald treats every page that differs as changed by hand.' },
  // Standard exports and import of legacy notes (issue 8)
  'csaf-key-unavailable': { severity: 'error', title: 'The CSAF signing key cannot be used', hint: 'Check `signing_key_file` or the environment variable named by `signing_key_env` (and `signing_passphrase_env`) in the csaf section of herald.config.yaml.' },
  'import-unrecognized': { severity: 'error', title: 'File is not a legacy security note', hint: 'herald import ossn reads OSSN text notes (a title over `---`, then `### Section ###` headings) and MediaWiki notes (`== Section ==` headings).' },
  'import-target-exists': { severity: 'error', title: 'The imported note would overwrite an existing file', hint: 'Pass --force to overwrite it, or import into another --out folder.' },
  'import-unstructured': { severity: 'warning', title: 'Part of the note could not be made structured', hint: 'The text stays in the body word for word; add the structured field by hand if you need it.' },
  'import-date-unknown': { severity: 'warning', title: 'The original gives no publication date', hint: 'Replace `date:` with the day the note was first published (the mailing list archive has it), or import with --date.' },
  'import-id-unknown': { severity: 'warning', title: 'The original gives no id', hint: 'The note was imported with a placeholder id; `herald assign-ids` gives it the next free one.' },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof catalog;

export function ruleInfo(id: RuleId): RuleInfo {
  return catalog[id];
}

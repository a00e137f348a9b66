import { describe, expect, it } from 'vitest';
import { readAffects } from '../../src/import/affects.ts';
import { commandLanguage, isProse, isUrlList, snippetInfo } from '../../src/import/code-blocks.ts';
import { readContacts, referenceType } from '../../src/import/contacts.ts';
import { readTextNote } from '../../src/import/text-format.ts';
import { isDeliberateBreak, textToPhrasing } from '../../src/import/phrasing.ts';

const lines = (...texts: string[]) => texts.map((text, index) => ({ text, line: index + 10 }));

describe('reading "Affected Services / Software"', () => {
  it('takes OpenStack services with the releases listed beside them, and third-party software without', () => {
    const { affects, unstructured } = readAffects(lines('Nova, Compute, KVM, libvirt, Grizzly, Havana, Icehouse'));
    expect(affects).toEqual([
      { product: 'Nova', vendor: 'OpenStack', ecosystem: 'release', releases: ['Grizzly', 'Havana', 'Icehouse'] },
      { product: 'KVM', ecosystem: 'generic' },
      { product: 'libvirt', ecosystem: 'generic' },
    ]);
    expect(unstructured).toEqual([]);
  });

  it('names OpenStack itself when only releases and other software are listed', () => {
    expect(readAffects(lines('Grizzly, Havana, OpenSSL')).affects).toEqual([
      { product: 'OpenStack', vendor: 'OpenStack', ecosystem: 'release', releases: ['Grizzly', 'Havana'] },
      { product: 'OpenSSL', ecosystem: 'generic' },
    ]);
  });

  it('reads "product / release", "all versions" and version bounds', () => {
    const { affects, unstructured } = readAffects(lines('Nova / All versions, Trove / Juno, possibly others'));
    expect(affects).toEqual([
      { product: 'Nova', vendor: 'OpenStack', ecosystem: 'generic', versions: ['All versions'] },
      { product: 'Trove', vendor: 'OpenStack', ecosystem: 'release', releases: ['Juno'] },
    ]);
    expect(unstructured.map((u) => u.text)).toEqual(['possibly others']);
    expect(readAffects(lines('Python-keystoneclient=<0.10.0')).affects).toEqual([
      { product: 'Python-keystoneclient', vendor: 'OpenStack', package: 'python-keystoneclient', ecosystem: 'generic', versions: ['<= 0.10.0'] },
    ]);
  });

  it('reads labelled lines, one list per line', () => {
    expect(readAffects(lines('Services: Neutron, Nova', 'Releases: Kilo')).affects.map((a) => [a.product, a.releases])).toEqual([
      ['Neutron', ['Kilo']],
      ['Nova', ['Kilo']],
    ]);
  });

  it('leaves prose alone and reports it whole', () => {
    const result = readAffects(lines('All versions running on Linux installations with a vulnerable glibc', 'library.'));
    expect(result.affects).toEqual([]);
    expect(result.unstructured).toEqual([{ text: 'All versions running on Linux installations with a vulnerable glibc library.', line: 10 }]);
  });
});

describe('reading "Contacts / References"', () => {
  it('takes authors, typed references with their labels, and reports what has no structure', () => {
    const result = readContacts(
      lines(
        'Author: Travis McPeak, HPE and Brant Knudson, IBM',
        'This OSSN : https://wiki.openstack.org/wiki/OSSN/OSSN-0055',
        'Original LaunchPad Bug : https://bugs.launchpad.net/ossn/+bug/1464750',
        'OpenStack Security ML : openstack-security@lists.openstack.org',
        'Further discussion of the issue:',
        '        http://www.example.org/old-blog/',
        '        https://www.example.org/new-blog/',
        '[1]: https://github.com/bumptech/stud/pull/138',
        'CVE: CVE-2015-0204 (OpenSSL)',
      ),
    );
    expect(result.authors).toEqual([
      { name: 'Travis McPeak', affiliation: 'HPE' },
      { name: 'Brant Knudson', affiliation: 'IBM' },
    ]);
    expect(result.references).toEqual([
      { url: 'https://wiki.openstack.org/wiki/OSSN/OSSN-0055', type: 'advisory', title: 'This OSSN' },
      { url: 'https://bugs.launchpad.net/ossn/+bug/1464750', type: 'bug', title: 'Original LaunchPad Bug' },
      { url: 'https://www.example.org/new-blog/', type: 'article', title: 'Further discussion of the issue' },
      { url: 'https://github.com/bumptech/stud/pull/138', type: 'fix' },
    ]);
    expect(result.unstructured.map((u) => [u.line, u.text])).toEqual([
      [13, 'Contact line kept in the body only: "OpenStack Security ML : openstack-security@lists.openstack.org"'],
      [15, 'Reference http://www.example.org/old-blog/ is plain http; references must be https, so it stays in the body only'],
    ]);
  });

  it('types references by where they point and what the note calls them', () => {
    expect(referenceType('Django fix', 'https://www.djangoproject.com/weblog/2015/jul/08/security-releases/')).toBe('fix');
    expect(referenceType('Source advisory', 'https://www.qualys.com/research/security-advisories/GHOST-CVE-2015-0235.txt')).toBe('advisory');
    expect(referenceType('Keystone Federation Docs', 'https://docs.openstack.org/keystone/latest/')).toBe('web');
    expect(referenceType('Hierarchical Roles', 'https://review.openstack.org/#/c/125704')).toBe('fix');
  });
});

describe('preformatted text', () => {
  it('recognizes command lines, continuations and transcripts, but never a "> " prompt', () => {
    expect(commandLanguage(['lsof | grep ssl | grep DEL'])).toBe('sh');
    expect(commandLanguage(['openssl s_server -cert <filename> \\', '   -ssl3 -no_ssl2'])).toBe('sh');
    expect(commandLanguage(['$ keystone --debug user-list', 'DEBUG:keystoneclient.session:REQ: curl'])).toBe('console');
    expect(commandLanguage(['> grep "^volume_driver" /etc/cinder/cinder.conf'])).toBeUndefined();
    expect(commandLanguage(['Apache HTTPD', 'Libvirt'])).toBeUndefined();
  });

  it('tells URL lists and indented sentences from code', () => {
    expect(isUrlList(['  http://libvirt.org/remote.html', '  SSLScan: https://example.org/'])).toBe(true);
    expect(isProse(['     Make sure to use the actual IP and port of the memcached service.'])).toBe(true);
    expect(isProse(["  'client.set_options(cache=None)'"])).toBe(false);
  });

  it('makes a config edit of a snippet that names its file, with the path the note gives', () => {
    const paths = (name: string) => (name === 'libvirtd.conf' ? '/etc/libvirt/libvirtd.conf' : undefined);
    expect(snippetInfo('example libvirtd.conf snippet', ['listen_tls = 0'], paths)).toEqual({ lang: 'ini', file: '/etc/libvirt/libvirtd.conf' });
    expect(snippetInfo('example glance-api.conf snippet', ['a = 1'], paths)).toEqual({ lang: 'ini', file: 'glance-api.conf', fileWithoutPath: true });
    expect(snippetInfo('example keystone.log snippet', ['GET /v2.0/tokens'], paths)).toEqual({ lang: 'text' });
    expect(snippetInfo('example INVALID template snippet', ['      {', '"a": 1'], paths)).toEqual({ lang: 'json', title: 'INVALID template' });
    expect(snippetInfo('CLI example', ['    curl -i -X GET "ENDPOINT/trusts/"'], paths)).toEqual({ lang: 'sh' });
  });
});

describe('plain text → Markdown', () => {
  it('links https URLs and addresses, and sets plain-http URLs as code so none is published as a link', () => {
    expect(textToPhrasing('see http://heartbleed.com/. Or https://example.org/a_(b), mail a@b.org.')).toEqual([
      { type: 'text', value: 'see ' },
      { type: 'inlineCode', value: 'http://heartbleed.com/' },
      { type: 'text', value: '. Or ' },
      { type: 'link', url: 'https://example.org/a_(b)', children: [{ type: 'text', value: 'https://example.org/a_(b)' }] },
      { type: 'text', value: ', mail ' },
      { type: 'link', url: 'mailto:a@b.org', children: [{ type: 'text', value: 'a@b.org' }] },
      { type: 'text', value: '.' },
    ]);
  });

  it('sets a backquoted word as code, as the notes\' authors meant it, and leaves a lone or empty backquote as text', () => {
    expect(textToPhrasing('the `secret` flag in `glance-api.conf`, see `https://example.org/x`; a lone ` and `` stay.')).toEqual([
      { type: 'text', value: 'the ' },
      { type: 'inlineCode', value: 'secret' },
      { type: 'text', value: ' flag in ' },
      { type: 'inlineCode', value: 'glance-api.conf' },
      { type: 'text', value: ', see ' },
      { type: 'inlineCode', value: 'https://example.org/x' },
      { type: 'text', value: '; a lone ` and `` stay.' },
    ]);
  });

  it('keeps a line break only where the author broke a line early', () => {
    expect(isDeliberateBreak('Apache:', 'SSLProtocol All -SSLv2 -SSLv3')).toBe(true);
    expect(isDeliberateBreak('The libvirt daemon should not be configured to allow unauthenticated', 'remote access.')).toBe(false);
  });

  it('reads a note whose title wraps over two lines and whose headings drift', () => {
    const note = readTextNote(['A title that goes on', 'over two lines', '---', '', '### Summary###', 'Text.', '', '### Recommended Action ###', 'Do it.'].join('\n'))!;
    expect(note.title).toBe('A title that goes on over two lines');
    expect(note.sections.map((s) => [s.heading, s.line])).toEqual([
      ['Summary', 5],
      ['Recommended Action', 8],
    ]);
  });

  it('returns nothing for a text that is not a legacy note', () => {
    expect(readTextNote('Just a letter.\n\nNo headings at all.')).toBeUndefined();
  });
});

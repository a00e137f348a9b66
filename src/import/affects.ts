/**
 * "Affected Services / Software" → `affects`, where the line can be read:
 * a comma-separated list of OpenStack services, third-party software and
 * OpenStack release names ("Nova, Compute, KVM, libvirt, Grizzly, Havana").
 * Whatever is not recognized stays only in the prose, and is reported.
 */
import type { SourceLine } from './legacy.ts';

export interface AffectedInput {
  product: string;
  vendor?: string;
  package?: string;
  ecosystem: 'release' | 'generic';
  versions?: string[];
  releases?: string[];
}

/** OpenStack release names, oldest first. */
const releaseNames = [
  'Austin', 'Bexar', 'Cactus', 'Diablo', 'Essex', 'Folsom', 'Grizzly', 'Havana', 'Icehouse', 'Juno', 'Kilo', 'Liberty', 'Mitaka',
  'Newton', 'Ocata', 'Pike', 'Queens', 'Rocky', 'Stein', 'Train', 'Ussuri', 'Victoria', 'Wallaby', 'Xena', 'Yoga', 'Zed', 'Antelope',
  'Bobcat', 'Caracal', 'Dalmatian', 'Epoxy', 'Flamingo',
];
const releases = new Map(releaseNames.map((name) => [name.toLowerCase(), name]));

/** OpenStack projects and components as the notes name them. */
const openstackProducts = new Set(
  [
    'Nova', 'Keystone', 'Glance', 'Cinder', 'Neutron', 'Horizon', 'Heat', 'Swift', 'Trove', 'Ironic', 'Ceilometer', 'Gnocchi', 'Aodh',
    'Blazar', 'Cue', 'Kite', 'Libra', 'Tuskar', 'Barbican', 'Sahara', 'Zaqar', 'Designate', 'Manila', 'Magnum', 'Murano', 'Octavia',
    'Mistral', 'Senlin', 'Zun', 'Congress', 'DevStack', 'nova-network', 'Neutron FWaaS', 'Neutron LBaaS', 'Neutron VPNaaS',
    'Nova Baremetal', 'python-keystoneclient', 'python-swiftclient', 'python-novaclient', 'python-glanceclient', 'keystonemiddleware',
    'oslo.vmware', 'noVNC proxy', 'SPICE console',
  ].map((name) => name.toLowerCase()),
);

/** Software from elsewhere that the notes name. */
const thirdParty = new Set(
  [
    'LXC', 'Libvirt', 'KVM', 'QEMU', 'Xen', 'OpenSSL', 'GNU Bash', 'Bash', 'glibc', 'Memcached', 'Django', 'Apache', 'Apache HTTPD',
    'Nginx', 'noVNC', 'Suds', 'Pecan', 'RabbitMQ', 'MySQL', 'PostgreSQL', 'HAProxy', 'Qpid', 'eventlet',
  ].map((name) => name.toLowerCase()),
);

/** Service-type names that mean a project ("Compute" is Nova). */
const serviceTypes = new Map([
  ['compute', 'Nova'],
  ['identity', 'Keystone'],
  ['image service', 'Glance'],
  ['image', 'Glance'],
  ['dashboard', 'Horizon'],
  ['networking', 'Neutron'],
  ['block storage', 'Cinder'],
  ['object storage', 'Swift'],
  ['orchestration', 'Heat'],
]);

const allVersions = /^all\s+(versions|releases)$/i;
const listLabels = /^(affected\s+)?(services?|software|releases?|versions?|products?|components?)$/i;
const versionBound = /^([\w.-]+?)\s*(=<|<=|<|>=|=>|==|=)\s*v?(\d[\w.-]*)$/;
const boundWords: Record<string, string> = { '=<': '<=', '<=': '<=', '<': '<', '>=': '>=', '=>': '>=', '==': '=', '=': '=' };

interface Found {
  product: string;
  openstack: boolean;
  versions: string[];
  releases: string[];
}

export interface AffectsResult {
  affects: AffectedInput[];
  /** Words of the section that are not a product or release herald knows. */
  unstructured: SourceLine[];
}

function cleanToken(token: string): string {
  return token.trim().replace(/^['"]|['"]$/g, '').replace(/\.$/, '').trim();
}

/** Reads the section's lines; prose (sentences, lists) is left alone and reported whole. */
export function readAffects(lines: readonly SourceLine[]): AffectsResult {
  const content = lines.filter((l) => l.text.trim() !== '');
  if (content.length === 0) return { affects: [], unstructured: [] };
  const text = content.map((l) => l.text.trim()).join(' ');
  const words = text.split(/\s+/).length;
  const isProse = content.some((l) => /^\s*[-*]\s/.test(l.text)) || /[.!?]\s+[A-Z]/.test(text) || (/[.!?]$/.test(text) && words >= 6) || words > 24;
  if (isProse) return { affects: [], unstructured: [{ text, line: content[0]!.line }] };

  const found: Found[] = [];
  const listedReleases: string[] = [];
  const unknown: string[] = [];
  const add = (product: string, openstack: boolean, extra: Partial<Pick<Found, 'versions' | 'releases'>> = {}) => {
    const existing = found.find((f) => f.product.toLowerCase() === product.toLowerCase());
    if (existing) {
      existing.versions.push(...(extra.versions ?? []));
      existing.releases.push(...(extra.releases ?? []));
    } else found.push({ product, openstack, versions: extra.versions ?? [], releases: extra.releases ?? [] });
  };
  // A known name keeps the note's spelling ("libvirt"); a service type becomes its project ("Compute" is Nova).
  const known = (name: string): { product: string; openstack: boolean } | undefined => {
    const key = name.toLowerCase();
    if (openstackProducts.has(key)) return { product: name, openstack: true };
    const project = serviceTypes.get(key);
    if (project) return { product: project, openstack: true };
    return thirdParty.has(key) ? { product: name, openstack: false } : undefined;
  };

  // Each line is a list ("Services: Nova, Neutron" on one line, "Releases: Kilo" on the next). A label
  // that only says what the list is ("Services:") is dropped; any other ("OpenStack Services that
  // use Keystone middleware: Juno, Kilo") is a token like the rest.
  const tokens = content
    .flatMap((l) => l.text.split(/[,;]|:\s+/))
    .map(cleanToken)
    .filter((token) => token !== '' && !listLabels.test(token));
  let allReleases: string | undefined;
  for (const token of tokens) {
    const release = releases.get(token.toLowerCase());
    if (release) {
      listedReleases.push(release);
      continue;
    }
    if (allVersions.test(token)) {
      allReleases = token;
      continue;
    }
    const scoped = /^(.+?)\s*\/\s*(.+)$/.exec(token);
    if (scoped) {
      const product = known(scoped[1]!.trim());
      const scope = scoped[2]!.trim();
      const release = releases.get(scope.toLowerCase());
      if (product && (release || allVersions.test(scope))) {
        add(product.product, product.openstack, release ? { releases: [release] } : { versions: [scope] });
        continue;
      }
    }
    const bound = versionBound.exec(token);
    const boundProduct = bound ? known(bound[1]!) : undefined;
    if (bound && boundProduct) {
      add(boundProduct.product, boundProduct.openstack, { versions: [`${boundWords[bound[2]!]} ${bound[3]}`] });
      continue;
    }
    const product = known(token);
    if (product) add(product.product, product.openstack);
    else unknown.push(token);
  }

  if (found.every((f) => !f.openstack) && listedReleases.length > 0) found.unshift({ product: 'OpenStack', openstack: true, versions: [], releases: [] });
  const affects = found.map((f): AffectedInput => {
    const releasesOf = f.releases.length > 0 ? f.releases : f.openstack ? listedReleases : [];
    const versions = [...f.versions, ...(allReleases && f.openstack && releasesOf.length === 0 ? [allReleases] : [])];
    return {
      product: f.product,
      ...(f.openstack ? { vendor: 'OpenStack' } : {}),
      ...(/^python-|middleware$/i.test(f.product) ? { package: f.product.toLowerCase() } : {}),
      ecosystem: releasesOf.length > 0 ? 'release' : 'generic',
      ...(versions.length > 0 ? { versions } : {}),
      ...(releasesOf.length > 0 ? { releases: [...new Set(releasesOf)] } : {}),
    };
  });
  return { affects, unstructured: unknown.map((token) => ({ text: token, line: content.find((l) => l.text.includes(token))?.line ?? content[0]!.line })) };
}

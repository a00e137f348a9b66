/**
 * The raw material of the benchmark corpus: services, flaws, people and
 * releases that the generator combines into OSSN-like notes. Real-looking
 * text matters because the parse cost depends on it (inline code, links,
 * bare URLs, tables, code blocks), not on the words themselves.
 */

/** A service an advisory can be about, with what its steps touch. */
export interface Service {
  /** Display name, e.g. "OpenStack Compute (Nova)". */
  product: string;
  /** Short name used in prose, e.g. "Nova". */
  short: string;
  vendor: string;
  /** Distribution package (deb and rpm). */
  package: string;
  /** systemd unit restarted after a change. */
  unit: string;
  /** Config file the fixes edit, and its format (fence language). */
  configFile: string;
  configLang: 'ini' | 'yaml' | 'python' | 'conf' | 'erlang';
  /** Config section the option lives in (ini), or '' when the format has none. */
  section: string;
  /** Who applies the steps ("compute nodes", …). */
  role: string;
  /** Owner group of the config file, for permission checks. */
  group: string;
  /** Command that prints the installed version (semver checks). */
  versionCommand: string;
  /** Source repository and bug tracker, for references and bare URLs. */
  repo: string;
  bugs: string;
}

export const services: readonly Service[] = [
  { product: 'OpenStack Compute (Nova)', short: 'Nova', vendor: 'OpenStack', package: 'nova-compute', unit: 'nova-compute', configFile: '/etc/nova/nova.conf', configLang: 'ini', section: 'DEFAULT', role: 'compute nodes', group: 'nova', versionCommand: 'nova-manage --version', repo: 'https://opendev.org/openstack/nova', bugs: 'https://bugs.launchpad.net/nova' },
  { product: 'OpenStack Identity (Keystone)', short: 'Keystone', vendor: 'OpenStack', package: 'keystone', unit: 'apache2', configFile: '/etc/keystone/keystone.conf', configLang: 'ini', section: 'token', role: 'controller nodes', group: 'keystone', versionCommand: 'keystone-manage --version', repo: 'https://opendev.org/openstack/keystone', bugs: 'https://bugs.launchpad.net/keystone' },
  { product: 'OpenStack Image (Glance)', short: 'Glance', vendor: 'OpenStack', package: 'glance-api', unit: 'glance-api', configFile: '/etc/glance/glance-api.conf', configLang: 'ini', section: 'DEFAULT', role: 'image API nodes', group: 'glance', versionCommand: 'glance-manage --version', repo: 'https://opendev.org/openstack/glance', bugs: 'https://bugs.launchpad.net/glance' },
  { product: 'OpenStack Block Storage (Cinder)', short: 'Cinder', vendor: 'OpenStack', package: 'cinder-volume', unit: 'cinder-volume', configFile: '/etc/cinder/cinder.conf', configLang: 'ini', section: 'DEFAULT', role: 'storage nodes', group: 'cinder', versionCommand: 'cinder-manage --version', repo: 'https://opendev.org/openstack/cinder', bugs: 'https://bugs.launchpad.net/cinder' },
  { product: 'OpenStack Networking (Neutron)', short: 'Neutron', vendor: 'OpenStack', package: 'neutron-server', unit: 'neutron-server', configFile: '/etc/neutron/neutron.conf', configLang: 'ini', section: 'DEFAULT', role: 'network nodes', group: 'neutron', versionCommand: 'neutron-server --version', repo: 'https://opendev.org/openstack/neutron', bugs: 'https://bugs.launchpad.net/neutron' },
  { product: 'OpenStack Object Storage (Swift)', short: 'Swift', vendor: 'OpenStack', package: 'swift-proxy', unit: 'swift-proxy', configFile: '/etc/swift/proxy-server.conf', configLang: 'ini', section: 'app:proxy-server', role: 'proxy nodes', group: 'swift', versionCommand: 'swift-init --version', repo: 'https://opendev.org/openstack/swift', bugs: 'https://bugs.launchpad.net/swift' },
  { product: 'OpenStack Dashboard (Horizon)', short: 'Horizon', vendor: 'OpenStack', package: 'openstack-dashboard', unit: 'apache2', configFile: '/etc/openstack-dashboard/local_settings.py', configLang: 'python', section: '', role: 'dashboard hosts', group: 'horizon', versionCommand: 'python3 -m openstack_dashboard --version', repo: 'https://opendev.org/openstack/horizon', bugs: 'https://bugs.launchpad.net/horizon' },
  { product: 'OpenStack Orchestration (Heat)', short: 'Heat', vendor: 'OpenStack', package: 'heat-engine', unit: 'heat-engine', configFile: '/etc/heat/heat.conf', configLang: 'ini', section: 'DEFAULT', role: 'controller nodes', group: 'heat', versionCommand: 'heat-manage --version', repo: 'https://opendev.org/openstack/heat', bugs: 'https://bugs.launchpad.net/heat' },
  { product: 'OpenStack Key Manager (Barbican)', short: 'Barbican', vendor: 'OpenStack', package: 'barbican-api', unit: 'barbican-api', configFile: '/etc/barbican/barbican.conf', configLang: 'ini', section: 'DEFAULT', role: 'key manager hosts', group: 'barbican', versionCommand: 'barbican-manage --version', repo: 'https://opendev.org/openstack/barbican', bugs: 'https://bugs.launchpad.net/barbican' },
  { product: 'OpenStack Load Balancing (Octavia)', short: 'Octavia', vendor: 'OpenStack', package: 'octavia-api', unit: 'octavia-api', configFile: '/etc/octavia/octavia.conf', configLang: 'ini', section: 'api_settings', role: 'controller nodes', group: 'octavia', versionCommand: 'octavia-db-manage --version', repo: 'https://opendev.org/openstack/octavia', bugs: 'https://bugs.launchpad.net/octavia' },
  { product: 'OpenStack Bare Metal (Ironic)', short: 'Ironic', vendor: 'OpenStack', package: 'ironic-conductor', unit: 'ironic-conductor', configFile: '/etc/ironic/ironic.conf', configLang: 'ini', section: 'conductor', role: 'conductor hosts', group: 'ironic', versionCommand: 'ironic-dbsync --version', repo: 'https://opendev.org/openstack/ironic', bugs: 'https://bugs.launchpad.net/ironic' },
  { product: 'OpenStack Shared File Systems (Manila)', short: 'Manila', vendor: 'OpenStack', package: 'manila-share', unit: 'manila-share', configFile: '/etc/manila/manila.conf', configLang: 'ini', section: 'DEFAULT', role: 'share nodes', group: 'manila', versionCommand: 'manila-manage --version', repo: 'https://opendev.org/openstack/manila', bugs: 'https://bugs.launchpad.net/manila' },
  { product: 'OpenStack DNS (Designate)', short: 'Designate', vendor: 'OpenStack', package: 'designate-api', unit: 'designate-api', configFile: '/etc/designate/designate.conf', configLang: 'ini', section: 'service:api', role: 'DNS API hosts', group: 'designate', versionCommand: 'designate-manage --version', repo: 'https://opendev.org/openstack/designate', bugs: 'https://bugs.launchpad.net/designate' },
  { product: 'libvirt', short: 'libvirt', vendor: 'libvirt', package: 'libvirt-daemon', unit: 'libvirtd', configFile: '/etc/libvirt/libvirtd.conf', configLang: 'conf', section: '', role: 'compute nodes', group: 'libvirt', versionCommand: 'libvirtd --version', repo: 'https://gitlab.com/libvirt/libvirt', bugs: 'https://gitlab.com/libvirt/libvirt/-/issues' },
  { product: 'RabbitMQ', short: 'RabbitMQ', vendor: 'VMware', package: 'rabbitmq-server', unit: 'rabbitmq-server', configFile: '/etc/rabbitmq/rabbitmq.conf', configLang: 'conf', section: '', role: 'message queue hosts', group: 'rabbitmq', versionCommand: 'rabbitmqctl version', repo: 'https://github.com/rabbitmq/rabbitmq-server', bugs: 'https://github.com/rabbitmq/rabbitmq-server/issues' },
  { product: 'MariaDB', short: 'MariaDB', vendor: 'MariaDB Foundation', package: 'mariadb-server', unit: 'mariadb', configFile: '/etc/mysql/mariadb.conf.d/50-server.cnf', configLang: 'ini', section: 'mysqld', role: 'database hosts', group: 'mysql', versionCommand: 'mariadb --version', repo: 'https://github.com/MariaDB/server', bugs: 'https://jira.mariadb.org/browse/MDEV' },
  { product: 'memcached', short: 'memcached', vendor: 'memcached', package: 'memcached', unit: 'memcached', configFile: '/etc/memcached.conf', configLang: 'conf', section: '', role: 'cache hosts', group: 'memcache', versionCommand: 'memcached -V', repo: 'https://github.com/memcached/memcached', bugs: 'https://github.com/memcached/memcached/issues' },
  { product: 'HAProxy', short: 'HAProxy', vendor: 'HAProxy Technologies', package: 'haproxy', unit: 'haproxy', configFile: '/etc/haproxy/haproxy.cfg', configLang: 'conf', section: '', role: 'load balancers', group: 'haproxy', versionCommand: 'haproxy -v', repo: 'https://github.com/haproxy/haproxy', bugs: 'https://github.com/haproxy/haproxy/issues' },
  { product: 'Apache HTTP Server', short: 'httpd', vendor: 'Apache Software Foundation', package: 'apache2', unit: 'apache2', configFile: '/etc/apache2/conf-available/security.conf', configLang: 'conf', section: '', role: 'API endpoints', group: 'www-data', versionCommand: 'apache2 -v', repo: 'https://github.com/apache/httpd', bugs: 'https://bz.apache.org/bugzilla' },
  { product: 'Open vSwitch', short: 'Open vSwitch', vendor: 'Linux Foundation', package: 'openvswitch-switch', unit: 'openvswitch-switch', configFile: '/etc/default/openvswitch-switch', configLang: 'conf', section: '', role: 'network nodes', group: 'openvswitch', versionCommand: 'ovs-vsctl --version', repo: 'https://github.com/openvswitch/ovs', bugs: 'https://github.com/openvswitch/ovs-issues/issues' },
];

/** A class of flaw, with the config change that mitigates it. */
export interface Flaw {
  /** Title fragment after the service name. */
  title: string;
  cwe: string;
  /** One sentence stating the problem; `{svc}` is replaced by the service's short name. */
  problem: string;
  /** Consequence, as a sentence. */
  impact: string;
  /** The option that mitigates it: the unsafe and the safe value. */
  option: string;
  unsafe: string;
  safe: string;
  /** Step kind the mitigation is (`Kind:` line when the generator writes one). */
  kind: 'configure' | 'disable' | 'workaround';
}

export const flaws: readonly Flaw[] = [
  { title: 'accepts unauthenticated connections on its management port', cwe: 'CWE-306', problem: 'The default configuration of {svc} listens for management connections without asking the client to authenticate.', impact: 'Anyone who can reach the port can change the state of the service.', option: 'auth_strategy', unsafe: 'noauth', safe: 'keystone', kind: 'configure' },
  { title: 'logs credentials in clear text at debug level', cwe: 'CWE-532', problem: 'With debug logging enabled, {svc} writes request bodies to its log, including passwords and tokens.', impact: 'Anyone who can read the logs, or the log aggregation system, can reuse the credentials.', option: 'debug', unsafe: 'true', safe: 'false', kind: 'configure' },
  { title: 'does not verify TLS certificates of backend services', cwe: 'CWE-295', problem: 'When {svc} connects to its backends over TLS, it skips the verification of the server certificate.', impact: 'An attacker on the path between the hosts can impersonate the backend and read or alter the traffic.', option: 'insecure', unsafe: 'true', safe: 'false', kind: 'configure' },
  { title: 'ships a configuration file readable by every local user', cwe: 'CWE-732', problem: 'Packages of {svc} install the configuration file with mode 0644, although it holds database and message queue passwords.', impact: 'Any local account on the host can read the passwords and connect to shared infrastructure.', option: 'use_stderr', unsafe: 'true', safe: 'false', kind: 'workaround' },
  { title: 'keeps a default administrative account enabled', cwe: 'CWE-1392', problem: 'A fresh installation of {svc} creates an administrative account with a well known default password.', impact: 'An attacker who can reach the service logs in with the default credentials.', option: 'default_user_enabled', unsafe: 'true', safe: 'false', kind: 'disable' },
  { title: 'can be exhausted by oversized request bodies', cwe: 'CWE-400', problem: 'The API of {svc} reads a request body into memory without an upper bound.', impact: 'A single client can exhaust the memory of the API workers and deny service to every tenant.', option: 'max_request_body_size', unsafe: '0', safe: '114688', kind: 'configure' },
  { title: 'fetches arbitrary URLs on behalf of tenants', cwe: 'CWE-918', problem: 'An import call of {svc} downloads data from any URL a tenant supplies, including addresses on the management network.', impact: 'Tenants can probe and reach internal services that are not meant to be exposed.', option: 'allowed_import_hosts', unsafe: '*', safe: 'mirror.example.org', kind: 'configure' },
  { title: 'follows symbolic links out of its data directory', cwe: 'CWE-59', problem: 'When {svc} cleans up temporary files, it follows symbolic links planted by a local user.', impact: 'A local user can make the service delete or overwrite files it owns elsewhere on the host.', option: 'follow_symlinks', unsafe: 'true', safe: 'false', kind: 'configure' },
  { title: 'reflects unescaped input in error pages', cwe: 'CWE-79', problem: 'Error pages of {svc} include part of the request URL without escaping it.', impact: 'A crafted link runs script in the browser of an operator who follows it.', option: 'verbose_errors', unsafe: 'true', safe: 'false', kind: 'configure' },
  { title: 'sends service credentials over unencrypted transport', cwe: 'CWE-319', problem: 'Out of the box, {svc} talks to the message queue and the database without TLS.', impact: 'Anyone able to capture traffic on the control plane network learns the service credentials.', option: 'ssl', unsafe: 'false', safe: 'true', kind: 'configure' },
  { title: 'hashes stored tokens with an unsalted fast digest', cwe: 'CWE-916', problem: '{svc} stores a digest of each issued token computed with a single unsalted round.', impact: 'An attacker who obtains a database dump recovers valid tokens with modest effort.', option: 'hash_algorithm', unsafe: 'md5', safe: 'sha512', kind: 'configure' },
  { title: 'allows cross-origin requests from any site', cwe: 'CWE-942', problem: 'The CORS middleware of {svc} is configured to accept every origin by default.', impact: 'A malicious site visited by an operator can call the API with the operator\'s session.', option: 'allowed_origin', unsafe: '*', safe: 'https://dashboard.example.org', kind: 'configure' },
  { title: 'exposes a debugging endpoint to the network', cwe: 'CWE-489', problem: 'A profiling endpoint meant for development is enabled in the default build of {svc}.', impact: 'Remote clients can read memory statistics and stack traces that reveal internal addresses and secrets.', option: 'enable_profiler', unsafe: 'true', safe: 'false', kind: 'disable' },
  { title: 'races on temporary files during snapshot creation', cwe: 'CWE-367', problem: '{svc} checks a temporary path and then opens it, leaving a window in which another process can replace it.', impact: 'A local user can cause snapshots to be written to a location of their choice.', option: 'snapshot_tmpdir', unsafe: '/tmp', safe: '/var/lib/snapshots', kind: 'configure' },
];

export const people: readonly { name: string; affiliation: string }[] = [
  { name: 'Nathan Kinder', affiliation: 'Red Hat' },
  { name: 'Robert Clark', affiliation: 'HP' },
  { name: 'Lucía Ferreira', affiliation: 'Example Cloud Security Team' },
  { name: 'Mehmet Yilmaz', affiliation: 'Example Cloud Operations' },
  { name: 'Aiko Tanaka', affiliation: 'Example Cloud Security Team' },
  { name: 'Samuel Okafor', affiliation: 'Independent' },
  { name: 'Ingrid Halvorsen', affiliation: 'Nordic Cloud' },
  { name: 'Priya Raman', affiliation: 'Example Cloud Security Team' },
  { name: 'Tomás Novák', affiliation: 'SUSE' },
  { name: 'Grace Liu', affiliation: 'Canonical' },
  { name: 'Daniel Weber', affiliation: 'Deutsche Telekom' },
  { name: 'Amara Diallo', affiliation: 'Example Cloud Operations' },
];

/** OpenStack release names, in order; a note picks a run of consecutive ones. */
export const releases: readonly string[] = ['Diablo', 'Essex', 'Folsom', 'Grizzly', 'Havana', 'Icehouse', 'Juno', 'Kilo', 'Liberty', 'Mitaka', 'Newton', 'Ocata', 'Pike', 'Queens', 'Rocky', 'Stein', 'Train', 'Ussuri', 'Victoria', 'Wallaby', 'Xena', 'Yoga', 'Zed', 'Antelope', 'Bobcat', 'Caracal', 'Dalmatian', 'Epoxy'];

export const debianReleases: readonly string[] = ['Debian:7', 'Debian:8', 'Debian:9', 'Debian:10', 'Debian:11', 'Debian:12'];
export const redHatReleases: readonly string[] = ['Red Hat Enterprise Linux:6', 'Red Hat Enterprise Linux:7', 'Red Hat Enterprise Linux:8', 'Red Hat Enterprise Linux:9'];

export const withdrawnReasons: readonly string[] = [
  'The reported behaviour turned out to be the documented default and is not a vulnerability.',
  'Superseded by a later note that covers the same flaw with corrected instructions.',
  'The upstream fix was reverted; the advice here no longer applies.',
  'Published in error: the flaw only affects a development branch that was never released.',
];

/** Sentences for the Discussion section; `{svc}`, `{file}`, `{option}`, `{unit}` and `{role}` are filled in. */
export const discussion: readonly string[] = [
  'The behaviour has been present since the option was introduced, and most deployment tools copy the sample configuration unchanged.',
  'Deployments that put {svc} behind a reverse proxy are exposed too, because the proxy passes the request through unmodified.',
  'The option `{option}` in `{file}` controls this behaviour, and its default was chosen for ease of development rather than safety.',
  'Operators who manage {role} with configuration management should change the template there, or the next run restores the unsafe value.',
  'Restarting `{unit}` is enough for the new value to take effect; no data migration is needed.',
  'Upstream changed the default in a later release, but upgrades keep the existing configuration file, so older deployments stay exposed.',
  'Logs written before the change may still hold sensitive values: rotate them and restrict who can read the archive.',
  'There is no indication that the flaw was exploited before it was reported, but the reporter demonstrated it against a default installation.',
  'Containers built from the distribution packages inherit the same default; rebuild the images after changing the configuration.',
  'The risk is highest where {role} share a network with tenant workloads, which is common in small deployments.',
  'Monitoring can detect attempts: unusual requests to the affected endpoint show up in the access log of {svc}.',
  'Network filtering reduces the exposure but does not remove it, because the same port also serves legitimate internal clients.',
  'Some distributions carried a patch that changed the default earlier; check the packaged sample file rather than upstream documentation.',
  'The change is backwards compatible for clients that follow the documented API; only clients that relied on the unsafe default need attention.',
];

export const summaryOpeners: readonly string[] = [
  'This note describes a weakness found during a review of {svc} deployments.',
  'A security researcher reported a flaw in the way {svc} handles requests from clients.',
  'Operators of {svc} should review their configuration after the issue described here was found.',
  'A default setting of {svc} leaves deployments exposed to the problem described below.',
];

export const stepIntros: Record<'upgrade' | 'configure' | 'restart' | 'verify' | 'evacuate', readonly string[]> = {
  upgrade: ['Install the fixed packages on every host that runs the service.', 'Upgrade to a fixed version before applying the other steps.', 'Apply the package update from your distribution.'],
  configure: ['Change the setting on every host that runs the service.', 'Set the safe value explicitly, even where it is already the default.', 'Edit the configuration file and keep a copy of the previous version.'],
  restart: ['Restart the service so the new setting is read.', 'Reload the service during a maintenance window.', 'Restart the affected daemons one host at a time.'],
  verify: ['Check that the change is in place on every host.', 'Confirm the result before closing the change.', 'Run the checks and keep their output with the change record.'],
  evacuate: ['Move workloads off each host before you work on it.', 'Live-migrate instances away from the host first, one host at a time.'],
};

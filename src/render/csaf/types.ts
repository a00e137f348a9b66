/** The parts of CSAF 2.0 that herald writes (OASIS CSAF v2.0, section 3). */

export interface CsafBranch {
  category: 'vendor' | 'product_name' | 'product_version' | 'product_version_range';
  name: string;
  branches?: CsafBranch[];
  product?: { name: string; product_id: string; product_identification_helper?: { purl: string } };
}

export interface CsafNote {
  category: 'description' | 'details' | 'general' | 'summary' | 'other' | 'legal_disclaimer' | 'faq';
  title?: string;
  text: string;
}

export interface CsafReference {
  category: 'self' | 'external';
  summary: string;
  url: string;
}

export type RemediationCategory = 'mitigation' | 'no_fix_planned' | 'none_available' | 'vendor_fix' | 'workaround';
export type RestartCategory = 'none' | 'vulnerable_component' | 'service' | 'parent' | 'dependencies' | 'connected' | 'machine' | 'zone' | 'system';

export interface CsafRemediation {
  category: RemediationCategory;
  details: string;
  product_ids: string[];
  restart_required?: { category: RestartCategory; details?: string };
}

/** An id of the vulnerability in a system other than CVE (`vulnerabilities[].ids`). */
export interface CsafVulnerabilityId {
  system_name: string;
  text: string;
}

export interface CsafVulnerability {
  cve?: string;
  ids?: CsafVulnerabilityId[];
  notes: CsafNote[];
  product_status: { known_affected?: string[]; fixed?: string[] };
  remediations?: CsafRemediation[];
  scores?: CsafScore[];
}

/** A CVSS 3.x score (FIRST's cvss-v3 JSON schema, as CSAF 2.0 embeds it; CSAF 2.0 has no place for CVSS 4.0). */
export interface CsafScore {
  products: string[];
  cvss_v3: { version: '3.0' | '3.1'; vectorString: string; baseScore: number; baseSeverity: 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' };
}

/** One credited person (`names`), with their organization and role (`summary`). */
export interface CsafAcknowledgment {
  names: string[];
  organization?: string;
  summary?: string;
}

export interface CsafRevision {
  number: string;
  date: string;
  summary: string;
}

export interface CsafDocument {
  document: {
    category: 'csaf_security_advisory' | 'csaf_informational_advisory';
    csaf_version: '2.0';
    lang: 'en';
    title: string;
    aggregate_severity?: { text: string };
    distribution: { text?: string; tlp: { label: 'WHITE' | 'AMBER'; url: string } };
    publisher: { category: string; name: string; namespace: string; contact_details?: string };
    acknowledgments?: CsafAcknowledgment[];
    notes: CsafNote[];
    references: CsafReference[];
    tracking: {
      id: string;
      status: 'draft' | 'final';
      version: string;
      initial_release_date: string;
      current_release_date: string;
      revision_history: CsafRevision[];
      generator: { date: string; engine: { name: string; version: string } };
    };
  };
  product_tree?: { branches: CsafBranch[] };
  vulnerabilities?: CsafVulnerability[];
}

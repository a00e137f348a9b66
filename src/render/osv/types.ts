/** The parts of the OSV schema (1.7) that herald writes. */
import type { CreditType } from '../../model/types.ts';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
}

export interface OsvAffected {
  package: { ecosystem: string; name: string; purl?: string };
  ranges: { type: 'ECOSYSTEM' | 'SEMVER'; events: OsvEvent[] }[];
  database_specific: Record<string, unknown>;
}

export interface OsvReference {
  type: 'ADVISORY' | 'ARTICLE' | 'REPORT' | 'FIX' | 'WEB';
  url: string;
}

export interface OsvCredit {
  name: string;
  contact?: string[];
  type?: Uppercase<CreditType>;
}

/** A CVSS vector; OSV names 3.0 and 3.1 alike CVSS_V3. */
export interface OsvSeverity {
  type: 'CVSS_V3' | 'CVSS_V4';
  score: string;
}

export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published: string;
  withdrawn?: string;
  aliases: string[];
  summary: string;
  details: string;
  severity?: OsvSeverity[];
  affected: OsvAffected[];
  references: OsvReference[];
  credits: OsvCredit[];
  database_specific: Record<string, unknown>;
}

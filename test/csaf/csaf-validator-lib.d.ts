/** Types for the parts of @secvisogram/csaf-validator-lib the tests use (the package ships JavaScript only). */
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  interface Message {
    message: string;
    instancePath: string;
  }
  export interface TestResult {
    name: string;
    isValid: boolean;
    errors: Message[];
    warnings: Message[];
    infos: Message[];
  }
  export type DocumentTest = (doc: unknown) => unknown;
  export default function validate(tests: DocumentTest[], document: unknown): Promise<{ isValid: boolean; tests: TestResult[] }>;
}

declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}

declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const csaf_2_0_strict: DocumentTest;
  export const csaf_2_0: DocumentTest;
}

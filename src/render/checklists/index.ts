/**
 * The checklists renderer: per advisory, the checklist JSON and its three
 * exports (Ansible playbook, OVAL definitions, POSIX shell script); for the
 * whole build, the published JSON Schema of the checklist format.
 */
import { exportAnsiblePlaybook } from '../../export/ansible.ts';
import { exportOval, ovalNamespace } from '../../export/oval.ts';
import { exportShellScript } from '../../export/sh.ts';
import type { OutputFile, Renderer } from '../types.ts';
import { buildChecklist, serializeChecklist } from './model.ts';
import { checklistJsonSchema } from './schema.ts';

/** The JSON Schema's text, as published at `checklists/schema.json` and kept in `schemas/checklist.schema.json`. */
export function checklistSchemaText(): string {
  return JSON.stringify(checklistJsonSchema(), null, 2) + '\n';
}

export const renderer: Renderer = {
  name: 'checklists',
  renderNote(advisory, context): OutputFile[] {
    const checklist = buildChecklist(advisory, { preview: context.preview });
    const base = `checklists/${advisory.id}`;
    const oval = exportOval(checklist, { namespace: ovalNamespace(context.config) });
    return [
      { path: `${base}.json`, contents: serializeChecklist(checklist) },
      { path: `${base}.yml`, contents: exportAnsiblePlaybook(checklist) },
      // Only when OVAL can express at least one check: OVAL runs no commands.
      ...(oval !== undefined ? [{ path: `${base}.oval.xml`, contents: oval }] : []),
      { path: `${base}.sh`, contents: exportShellScript(checklist) },
    ];
  },
  renderAll(): OutputFile[] {
    return [{ path: 'checklists/schema.json', contents: checklistSchemaText() }];
  },
};

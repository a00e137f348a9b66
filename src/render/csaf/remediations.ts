/**
 * CSAF remediations from the remediation steps of the note. A note whose
 * "Recommended Actions" are prose (no steps) still tells operators what to
 * do: that text becomes one mitigation.
 */
import type { Step, StepKind } from '../../model/types.ts';
import type { CsafRemediation, RemediationCategory, RestartCategory } from './types.ts';

const categoryOfKind: Record<StepKind, RemediationCategory> = {
  upgrade: 'vendor_fix',
  configure: 'mitigation',
  disable: 'mitigation',
  restart: 'mitigation',
  evacuate: 'mitigation',
  workaround: 'workaround',
  manual: 'mitigation',
};

function restartOf(step: Step): CsafRemediation['restart_required'] | undefined {
  // Evacuating a host by live migration is needed when the host itself (its hypervisor) restarts.
  const category: RestartCategory | undefined = step.migrationRequired ? 'machine' : step.restartRequired ? 'service' : undefined;
  if (!category) return undefined;
  return { category, ...(step.role ? { details: `Applies to ${step.role}.` } : {}) };
}

function detailsOf(step: Step): string {
  // The step's text usually opens with its (bold) title; say it once.
  const parts = step.text.startsWith(step.title) ? [step.text] : [step.title, ...(step.text ? [step.text] : [])];
  for (const edit of step.configEdits) parts.push(`Edit ${edit.file}:\n${edit.content}`);
  if (step.commands.length > 0) parts.push(`Run:\n${step.commands.join('\n')}`);
  if (step.rollback) parts.push(`Rollback: ${step.rollback}`);
  return parts.join('\n\n');
}

/**
 * One remediation per step, for the given products. With no steps, the
 * section text (when there is one) is a single mitigation.
 */
export function remediationsOf(steps: readonly Step[], productIds: string[], sectionText: string | undefined): CsafRemediation[] {
  if (productIds.length === 0) return [];
  if (steps.length === 0) {
    return sectionText ? [{ category: 'mitigation', details: sectionText, product_ids: productIds }] : [];
  }
  return steps.map((step) => {
    const restart = restartOf(step);
    return { category: categoryOfKind[step.kind], details: detailsOf(step), product_ids: productIds, ...(restart ? { restart_required: restart } : {}) };
  });
}

import { Label } from './labels';
import { SelectorOperator } from './label-keys';

/**
 * One requirement of an endpoint selector, its key split into source and key (`any` matches a
 * label of that key from any source). All requirements of a selector are ANDed; `NotIn` and
 * `DoesNotExist` also hold when the label is absent (docs/cilium-semantics.md, "Selectors").
 */
export interface Requirement {
  readonly source: string;
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
  /** Written in `matchLabels` (a CNP subject's namespace label there is overwritten). */
  readonly fromMatchLabels?: boolean;
}

/** Whether the requirement holds for an endpoint with these labels (those under other keys are skipped). */
export function requirementHolds(r: Requirement, labels: readonly Label[] | undefined): boolean {
  let present = false;
  let valueIn = false;
  for (const l of labels ?? []) {
    if (l.key !== r.key || (r.source !== 'any' && l.source !== r.source)) continue;
    present = true;
    if (r.values.includes(l.value)) valueIn = true;
  }
  switch (r.operator) {
    case 'In':
      return valueIn;
    case 'NotIn':
      return !valueIn;
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}

import { HubbleFlow, HubblePolicy } from './flow-json';
import { dropReason } from './policy-relevance';

const POLICY_DROP_REASONS = new Set(['POLICY_DENIED', 'POLICY_DENY']);

/**
 * Hubble saw policy refuse this flow: a policy drop (`POLICY_DENIED`, no allow; `POLICY_DENY`,
 * a deny rule) or an `AUDIT` verdict (a drop that audit mode let through).
 */
export function isObservedPolicyDrop(flow: HubbleFlow): boolean {
  if (flow.verdict === 'AUDIT') return true;
  if (flow.verdict !== 'DROPPED') return false;
  const reason = dropReason(flow);
  return reason !== undefined && POLICY_DROP_REASONS.has(reason);
}

/** The policies Hubble says denied the flow (`egress_denied_by`, `ingress_denied_by`), as `Kind ns/name`. */
export function namedPolicies(flow: HubbleFlow): string[] {
  const out: string[] = [];
  const add = (list: readonly HubblePolicy[] | undefined, direction: string) => {
    for (const p of list ?? []) {
      if (!p.name) continue;
      out.push(`${direction}: ${p.kind ?? 'policy'} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`);
    }
  };
  add(flow.egress_denied_by, 'egress');
  add(flow.ingress_denied_by, 'ingress');
  return out;
}

import { DirectionResult } from '../engine/types';
import { MatrixPort } from './model';
import { DecidedPairs } from './pairs';
import { flowTo, MatrixPlan } from './plan';
import { matrixPort } from './ports';

/**
 * What one end decides, per direction, for a peer none of its rules may match (the host aside,
 * which allow-localhost lets in): default deny, not enforced, or the allow-all of a direction no
 * rule makes default-deny. Every pair outside the decided ones gets these two on every port.
 * Undefined when every peer is decided (nothing falls back to the default).
 */
export interface EndDefaults {
  readonly egress?: DirectionResult;
  readonly ingress?: DirectionResult;
}

/** A port for ends without any: the default does not depend on the port. */
const ANY_PORT = matrixPort('TCP', 1);

export function endDefaults(
  plan: MatrixPlan,
  pairs: DecidedPairs,
  ports: ReadonlyArray<readonly MatrixPort[]>,
): EndDefaults[] {
  const evaluate = (s: number, d: number) =>
    plan.engine.evaluate(flowTo(plan.node(s), plan.node(d), ports[d][0] ?? ANY_PORT));
  return plan.identities.map((_, i) => {
    const egressPeer =
      plan.node(i).kind === 'fqdn' ? -1 : firstIndex(plan.identities.length, (d) => !pairs.egress[i].has(d));
    const ingressPeer = plan.sources.find((s) => !plan.host[s] && !pairs.ingress[i].has(s)) ?? -1;
    return {
      ...(egressPeer >= 0 ? { egress: evaluate(i, egressPeer).egress } : {}),
      ...(ingressPeer >= 0 ? { ingress: evaluate(ingressPeer, i).ingress } : {}),
    };
  });
}

function firstIndex(count: number, ok: (i: number) => boolean): number {
  for (let i = 0; i < count; i++) if (ok(i)) return i;
  return -1;
}

/** The same decision as the default: the decision, audit and deciding rules agree (notes name the peer). */
export function isDefault(r: DirectionResult, def: DirectionResult | undefined): boolean {
  if (!def) return false;
  if (r === def) return true;
  if (r.decision !== def.decision || !!r.audited !== !!def.audited || r.rules.length !== def.rules.length)
    return false;
  return r.rules.every((ref, k) => {
    const other = def.rules[k];
    return (
      ref === other ||
      (ref.kind === other.kind &&
        ref.namespace === other.namespace &&
        ref.name === other.name &&
        ref.path === other.path)
    );
  });
}

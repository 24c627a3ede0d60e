import { PolicyEngine } from './engine';
import { Identity } from './identity';
import { FlowPeer } from './types';

/**
 * When a pod endpoint written by hand (`blog/app=blog`) is selected by none of the
 * CiliumNetworkPolicies of its namespace, the real pods probably carry other labels (cdk8s-plus
 * selects on `cdk8s.io/metadata.addr`): a DROPPED verdict would then test a pod that does not exist.
 * Returns that warning, naming what the namespace's policies do select, or undefined.
 */
export function unselectedPodHint(engine: PolicyEngine, peer: FlowPeer, text: string): string | undefined {
  const identity = new Identity(peer.labels, engine.options.clusterName);
  if (!identity.isPod || identity.namespace === undefined) return undefined;
  const local = engine.rules.filter((r) => r.namespace === identity.namespace);
  if (local.length === 0 || local.some((r) => r.subject.matches(identity))) return undefined;
  const subjects = [
    ...new Set(local.map((r) => `${r.source.name} selects ${r.subject.canonical || '{}'}`)),
  ].sort();
  return (
    `${text} matches no subject of the ${local.length === 1 ? 'policy' : 'policies'} in namespace ${identity.namespace} ` +
    `(${subjects.join('; ')}): it may not be the pods those policies protect. Build the endpoint from the workload object ` +
    '(e.g. `to: deployment` in the matchers) or give the labels the pods really carry'
  );
}

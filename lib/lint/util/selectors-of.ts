import { KubeManifest } from '../../manifest/types';
import { isObject } from '../../util/shape';
import { allElements, ElementRef, LazyPath, rulesOf, sharedPerPolicy } from './walk';

export type SelectorRole =
  | 'subject' // endpointSelector
  | 'node-subject' // nodeSelector
  | 'peer' // fromEndpoints / toEndpoints
  | 'node-peer' // fromNodes / toNodes
  | 'requires' // fromRequires / toRequires (removed)
  | 'service' // toServices[].k8sServiceSelector.selector (Service labels)
  | 'cidr-group'; // CIDRSet cidrGroupSelector

export interface SelectorRef {
  readonly selector: unknown;
  readonly path: string;
  readonly role: SelectorRole;
  /** The element holding a peer selector. */
  readonly element?: ElementRef;
}

const PEER_FIELDS: Record<string, SelectorRole> = {
  fromEndpoints: 'peer',
  toEndpoints: 'peer',
  fromNodes: 'node-peer',
  toNodes: 'node-peer',
  fromRequires: 'requires',
  toRequires: 'requires',
};

/** A selector in a peer list (`fromEndpoints[i]`...), its path written when first read. */
class PeerSelector extends LazyPath implements SelectorRef {
  constructor(
    readonly selector: unknown,
    readonly role: SelectorRole,
    readonly element: ElementRef,
    private readonly field: string,
    private readonly index: number,
  ) {
    super();
  }
  protected writePath(): string {
    return `${this.element.path}.${this.field}[${this.index}]`;
  }
}

/** Every label selector of a policy, with its path and what it selects. */
export function selectorsOf(policy: KubeManifest): readonly SelectorRef[] {
  return sharedPerPolicy(policy, 'selectors', () => collectSelectors(policy));
}

function collectSelectors(policy: KubeManifest): SelectorRef[] {
  const out: SelectorRef[] = [];
  for (const r of rulesOf(policy)) {
    if (r.rule.endpointSelector !== undefined)
      out.push({ selector: r.rule.endpointSelector, path: `${r.path}.endpointSelector`, role: 'subject' });
    if (r.rule.nodeSelector !== undefined)
      out.push({ selector: r.rule.nodeSelector, path: `${r.path}.nodeSelector`, role: 'node-subject' });
  }
  for (const el of allElements(policy)) addPeerSelectors(el, out);
  return out;
}

const PEER_FIELD_NAMES = Object.keys(PEER_FIELDS);

export function peerSelectorsOf(el: ElementRef): SelectorRef[] {
  const out: SelectorRef[] = [];
  addPeerSelectors(el, out);
  return out;
}

function addPeerSelectors(el: ElementRef, out: SelectorRef[]): void {
  for (let f = 0; f < PEER_FIELD_NAMES.length; f++) {
    const field = PEER_FIELD_NAMES[f];
    const selectors = el.element[field];
    if (!Array.isArray(selectors)) continue;
    const role = PEER_FIELDS[field];
    for (let i = 0; i < selectors.length; i++) {
      if (!(i in selectors)) continue; // a hole of a sparse list, as forEach skips it
      out.push(new PeerSelector(selectors[i], role, el, field, i));
    }
  }
  const services = el.element.toServices;
  if (Array.isArray(services))
    services.forEach((svc, i) => {
      const sel =
        isObject(svc) && isObject(svc.k8sServiceSelector) ? svc.k8sServiceSelector.selector : undefined;
      if (sel !== undefined)
        out.push({
          selector: sel,
          path: `${el.path}.toServices[${i}].k8sServiceSelector.selector`,
          role: 'service',
          element: el,
        });
    });
  for (const field of CIDR_SET_FIELDS) {
    const items = el.element[field];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (isObject(item) && item.cidrGroupSelector !== undefined) {
        out.push({
          selector: item.cidrGroupSelector,
          path: `${el.path}.${field}[${i}].cidrGroupSelector`,
          role: 'cidr-group',
          element: el,
        });
      }
    });
  }
}

const CIDR_SET_FIELDS = ['fromCIDRSet', 'toCIDRSet'] as const;

/** Selectors whose keys are matched against endpoint identity labels (not node or Service labels). */
export function identitySelectorsOf(policy: KubeManifest): readonly SelectorRef[] {
  return sharedPerPolicy(policy, 'identity-selectors', () =>
    selectorsOf(policy).filter((s) => s.role === 'subject' || s.role === 'peer'),
  );
}

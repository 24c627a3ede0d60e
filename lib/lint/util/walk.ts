import { KubeManifest, policyRules } from '../../manifest/types';
import { asArray, isObject, PlainObject } from '../../util/shape';
import { EGRESS_PEER_FIELDS, INGRESS_PEER_FIELDS } from '../../cilium/peer-fields';
import { Direction } from '../../cilium/direction';

export type { Direction };
export type SectionKey = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';

export const SECTION_KEYS: readonly SectionKey[] = ['ingress', 'ingressDeny', 'egress', 'egressDeny'];

/** One rule of a policy (`spec` or `specs[i]`). */
export interface RuleRef {
  readonly rule: PlainObject;
  readonly path: string;
}

/** One element of `ingress`, `ingressDeny`, `egress` or `egressDeny`. */
export interface ElementRef {
  readonly element: PlainObject;
  readonly path: string;
  readonly section: SectionKey;
  readonly direction: Direction;
  readonly deny: boolean;
  readonly rule: RuleRef;
}

/** One entry of an element's `toPorts`. */
export interface PortRuleRef {
  readonly portRule: PlainObject;
  readonly path: string;
  readonly owner: ElementRef;
}

/** One `ports[]` item of a `toPorts` entry. */
export interface PortRef {
  readonly port: PlainObject;
  readonly path: string;
  readonly portRule: PortRuleRef;
}

/** The peer fields plus the removed `*Requires`, which the lint still reports on. */
export const INGRESS_PEER_KINDS = [...INGRESS_PEER_FIELDS, 'fromRequires'] as const;
export const EGRESS_PEER_KINDS = [...EGRESS_PEER_FIELDS, 'toRequires'] as const;

export function directionOf(section: SectionKey): Direction {
  return section.startsWith('ingress') ? 'ingress' : 'egress';
}

export function peerKinds(direction: Direction): readonly string[] {
  return direction === 'ingress' ? INGRESS_PEER_KINDS : EGRESS_PEER_KINDS;
}

export function rulesOf(policy: KubeManifest): RuleRef[] {
  return policyRules(policy)
    .filter((r) => isObject(r.rule))
    .map((r) => ({ rule: r.rule as PlainObject, path: r.path }));
}

export function elementsOf(rule: RuleRef, sections: readonly SectionKey[] = SECTION_KEYS): ElementRef[] {
  const out: ElementRef[] = [];
  for (const section of sections) {
    asArray(rule.rule[section]).forEach((element, i) => {
      if (!isObject(element)) return;
      out.push({
        element,
        path: `${rule.path}.${section}[${i}]`,
        section,
        direction: directionOf(section),
        deny: section.endsWith('Deny'),
        rule,
      });
    });
  }
  return out;
}

/** What the rules of one lint run read of each policy, computed once (see withSharedWalk). */
let shared: WeakMap<KubeManifest, Map<string, unknown>> | undefined;

/**
 * Runs `fn` (one lint run, which never changes a policy) with what the rules read of each policy
 * (its elements, its selectors) computed once and shared by every rule, instead of once per rule.
 */
export function withSharedWalk<T>(fn: () => T): T {
  const outer = shared;
  shared ??= new WeakMap();
  try {
    return fn();
  } finally {
    shared = outer;
  }
}

/** `compute()` once per policy and lint run (inside withSharedWalk), afresh outside one. */
export function sharedPerPolicy<T>(policy: KubeManifest, what: string, compute: () => T): T {
  if (!shared) return compute();
  let values = shared.get(policy);
  if (!values) shared.set(policy, (values = new Map()));
  if (values.has(what)) return values.get(what) as T;
  const value = compute();
  values.set(what, value);
  return value;
}

export function allElements(
  policy: KubeManifest,
  sections: readonly SectionKey[] = SECTION_KEYS,
): readonly ElementRef[] {
  if (sections !== SECTION_KEYS) return rulesOf(policy).flatMap((r) => elementsOf(r, sections));
  return sharedPerPolicy(policy, 'elements', () => rulesOf(policy).flatMap((r) => elementsOf(r)));
}

export function portRulesOf(owner: ElementRef): PortRuleRef[] {
  const out: PortRuleRef[] = [];
  asArray(owner.element.toPorts).forEach((portRule, i) => {
    if (isObject(portRule)) out.push({ portRule, path: `${owner.path}.toPorts[${i}]`, owner });
  });
  return out;
}

export function portsOf(portRule: PortRuleRef): PortRef[] {
  const out: PortRef[] = [];
  asArray(portRule.portRule.ports).forEach((port, i) => {
    if (isObject(port)) out.push({ port, path: `${portRule.path}.ports[${i}]`, portRule });
  });
  return out;
}

/** The L3 peer fields set on an element (keys present, whatever their value). */
export function peerFieldsOf(el: ElementRef): string[] {
  return peerKinds(el.direction).filter((k) => el.element[k] !== undefined && el.element[k] !== null);
}

/** Whether the element constrains L3 (any peer field present, even an empty list). */
export function hasL3(el: ElementRef): boolean {
  return peerFieldsOf(el).length > 0;
}

/** Non-empty `rules.dns` lists of an element's toPorts, with paths. */
export function dnsRulesOf(
  el: ElementRef,
): Array<{ readonly entries: unknown[]; readonly path: string; readonly portRule: PortRuleRef }> {
  const out: Array<{ entries: unknown[]; path: string; portRule: PortRuleRef }> = [];
  for (const pr of portRulesOf(el)) {
    const rules = pr.portRule.rules;
    if (isObject(rules) && Array.isArray(rules.dns))
      out.push({ entries: rules.dns, path: `${pr.path}.rules.dns`, portRule: pr });
  }
  return out;
}

/** `enableDefaultDeny.<direction>` of a rule, or undefined when unset. */
export function enableDefaultDeny(rule: RuleRef, direction: Direction): boolean | undefined {
  const edd = rule.rule.enableDefaultDeny;
  if (!isObject(edd)) return undefined;
  const v = edd[direction];
  return typeof v === 'boolean' ? v : undefined;
}

/** Whether a rule puts its subjects into default-deny for a direction (Rule.Sanitize, 1.2). */
export function ruleDefaultDenies(rule: RuleRef, direction: Direction): boolean {
  const allow = asArray(rule.rule[direction]);
  const deny = asArray(rule.rule[`${direction}Deny`]);
  // Cilium builds the default-deny from the direction's elements: with none, `enableDefaultDeny` has nothing to attach to.
  if (allow.length === 0 && deny.length === 0) return false;
  return enableDefaultDeny(rule, direction) ?? true;
}

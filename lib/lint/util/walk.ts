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
  /** Its elements, in section order (see elementsOf). */
  readonly elements: readonly ElementRef[];
}

/** One element of `ingress`, `ingressDeny`, `egress` or `egressDeny`. */
export interface ElementRef {
  readonly element: PlainObject;
  readonly path: string;
  readonly section: SectionKey;
  readonly direction: Direction;
  readonly deny: boolean;
  readonly rule: RuleRef;
  /** Its `toPorts` entries (see portRulesOf). */
  readonly portRules: readonly PortRuleRef[];
}

/** One entry of an element's `toPorts`. */
export interface PortRuleRef {
  readonly portRule: PlainObject;
  readonly path: string;
  readonly owner: ElementRef;
  /** Its `ports` items (see portsOf). */
  readonly ports: readonly PortRef[];
}

/** One `ports[]` item of a `toPorts` entry. */
export interface PortRef {
  readonly port: PlainObject;
  readonly path: string;
  readonly portRule: PortRuleRef;
}

/** The `rules.dns` list of a `toPorts` entry, with its path. */
export interface DnsRulesRef {
  readonly entries: unknown[];
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

/** The rules of a policy that are mappings, each with its elements, walked once per lint run. */
export function rulesOf(policy: KubeManifest): readonly RuleRef[] {
  return sharedPerPolicy(policy, 'rules', () =>
    policyRules(policy)
      .filter((r) => isObject(r.rule))
      .map((r) => walkRule(r.rule as PlainObject, r.path)),
  );
}

function walkRule(rule: PlainObject, path: string): RuleRef {
  const elements: ElementRef[] = [];
  const ref: RuleRef = { rule, path, elements };
  for (const section of SECTION_KEYS) {
    const list = rule[section];
    if (!Array.isArray(list)) continue;
    const direction = directionOf(section);
    const deny = section.endsWith('Deny');
    for (let i = 0; i < list.length; i++) {
      const element: unknown = list[i];
      // `i in list`: a hole of a sparse list is skipped, as forEach does.
      if (i in list && isObject(element))
        elements.push(walkElement(element, section, i, direction, deny, ref));
    }
  }
  return ref;
}

/**
 * A walked item's path is written when first read (most are read only for a finding): from its
 * parent's path and its own field and index.
 */
export abstract class LazyPath {
  private written: string | undefined;
  get path(): string {
    return (this.written ??= this.writePath());
  }
  protected abstract writePath(): string;
}

class Element extends LazyPath implements ElementRef {
  readonly portRules: PortRuleRef[];
  constructor(
    readonly element: PlainObject,
    readonly section: SectionKey,
    private readonly index: number,
    readonly direction: Direction,
    readonly deny: boolean,
    readonly rule: RuleRef,
    hasPorts: boolean,
  ) {
    super();
    this.portRules = hasPorts ? [] : (NONE as never[]);
  }
  protected writePath(): string {
    return `${this.rule.path}.${this.section}[${this.index}]`;
  }
}

class PortRule extends LazyPath implements PortRuleRef {
  readonly ports: PortRef[];
  constructor(
    readonly portRule: PlainObject,
    private readonly index: number,
    readonly owner: ElementRef,
    hasPorts: boolean,
  ) {
    super();
    this.ports = hasPorts ? [] : (NONE as never[]);
  }
  protected writePath(): string {
    return `${this.owner.path}.toPorts[${this.index}]`;
  }
}

class Port extends LazyPath implements PortRef {
  constructor(
    readonly port: PlainObject,
    private readonly index: number,
    readonly portRule: PortRuleRef,
  ) {
    super();
  }
  protected writePath(): string {
    return `${this.portRule.path}.ports[${this.index}]`;
  }
}

function walkElement(
  element: PlainObject,
  section: SectionKey,
  index: number,
  direction: Direction,
  deny: boolean,
  rule: RuleRef,
): ElementRef {
  const toPorts = element.toPorts;
  const hasPorts = Array.isArray(toPorts) && toPorts.length > 0;
  const ref = new Element(element, section, index, direction, deny, rule, hasPorts);
  if (!hasPorts) return ref;
  for (let i = 0; i < toPorts.length; i++) {
    const portRule: unknown = toPorts[i];
    if (i in toPorts && isObject(portRule)) ref.portRules.push(walkPortRule(portRule, i, ref));
  }
  return ref;
}

function walkPortRule(portRule: PlainObject, index: number, owner: ElementRef): PortRuleRef {
  const items = portRule.ports;
  const hasPorts = Array.isArray(items) && items.length > 0;
  const ref = new PortRule(portRule, index, owner, hasPorts);
  if (!hasPorts) return ref;
  for (let i = 0; i < items.length; i++) {
    const port: unknown = items[i];
    if (i in items && isObject(port)) ref.ports.push(new Port(port, i, ref));
  }
  return ref;
}

/** The rule's elements of the given sections: section by section, in list order. */
export function elementsOf(
  rule: RuleRef,
  sections: readonly SectionKey[] = SECTION_KEYS,
): readonly ElementRef[] {
  if (sections === SECTION_KEYS) return rule.elements;
  if (sections.length === 1) return rule.elements.filter((el) => el.section === sections[0]);
  return sections.flatMap((section) => rule.elements.filter((el) => el.section === section));
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

/**
 * Drops what the run computed of `policy` once its own rules are done, so it dies young instead of
 * living (and being copied by the garbage collector) until the run ends; a later rule reading the
 * policy again walks it again.
 */
export function releaseSharedWalk(policy: KubeManifest): void {
  shared?.delete(policy);
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

/** Every element of the policy (of the given sections), rule by rule. */
export function allElements(
  policy: KubeManifest,
  sections: readonly SectionKey[] = SECTION_KEYS,
): readonly ElementRef[] {
  if (sections === SECTION_KEYS)
    return sharedPerPolicy(policy, 'elements', () => elementsOfRules(rulesOf(policy)));
  return sharedPerPolicy(policy, `elements:${sections.join()}`, () =>
    rulesOf(policy).flatMap((r) => elementsOf(r, sections)),
  );
}

function elementsOfRules(rules: readonly RuleRef[]): readonly ElementRef[] {
  if (rules.length === 1) return rules[0].elements;
  const out: ElementRef[] = [];
  for (const r of rules) for (const el of r.elements) out.push(el);
  return out;
}

export function portRulesOf(owner: ElementRef): readonly PortRuleRef[] {
  return owner.portRules;
}

export function portsOf(portRule: PortRuleRef): readonly PortRef[] {
  return portRule.ports;
}

/** The L3 peer fields set on an element (keys present, whatever their value). */
export function peerFieldsOf(el: ElementRef): string[] {
  return peerKinds(el.direction).filter((k) => el.element[k] !== undefined && el.element[k] !== null);
}

/** Whether the element constrains L3 (any peer field present, even an empty list). */
export function hasL3(el: ElementRef): boolean {
  return peerFieldsOf(el).length > 0;
}

/** The `rules.dns` lists of an element's toPorts, with paths. */
export function dnsRulesOf(el: ElementRef): readonly DnsRulesRef[] {
  let out: DnsRulesRef[] | undefined;
  for (const pr of el.portRules) {
    const rules = pr.portRule.rules;
    if (isObject(rules) && Array.isArray(rules.dns))
      (out ??= []).push({ entries: rules.dns, path: `${pr.path}.rules.dns`, portRule: pr });
  }
  return out ?? NONE;
}

const NONE: readonly never[] = [];

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

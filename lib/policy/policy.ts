import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as cnp from '../../imports/cilium-network-policy-cilium.io';
import { atConstruct, invalidProp } from './errors';
import { validateNamespaceName } from './labels';
import { RenderContext } from './peer';
import { EgressDenyRule, EgressRule, IngressDenyRule, IngressRule } from './rule';
import { Entity } from './entity';
import { Peer } from './peer';
import { hasProbes } from './probes';
import { EndpointSelector, isNamespaceKey } from './selector';
import { claimPolicyName, lintPoliciesAtSynth } from './validation';
import { policyObject } from './policy-object';
import { dns1123SubdomainProblem } from '../cilium/names';

/** Which directions a rule puts its endpoints into default deny (`enableDefaultDeny`). */
export interface DefaultDenyProps {
  /** Whether this policy puts the selected endpoints into ingress default-deny. @default - true when the policy has ingress or ingressDeny rules */
  readonly ingress?: boolean;
  /** Whether this policy puts the selected endpoints into egress default-deny. @default - true when the policy has egress or egressDeny rules */
  readonly egress?: boolean;
}

/** Extra metadata of the policy object. */
export interface PolicyMetadataProps {
  /** metadata.labels. @default - none */
  readonly labels?: { [key: string]: string };
  /** metadata.annotations. @default - none */
  readonly annotations?: { [key: string]: string };
}

/** One Cilium rule (a `spec`): a subject selector and its ingress and egress rules. */
export interface RuleProps {
  /**
   * The endpoints (pods) the rule applies to. In a CNP always limited to the policy's namespace.
   * A workload construct with probes always gets ingress from the host (kubelet) when the rule has ingress rules.
   */
  readonly endpointSelector: EndpointSelector | IConstruct;
  /** Free-form explanation, shown by `kubectl describe` and kept with the rule. @default - none */
  readonly description?: string;
  /** Ingress allow rules (unioned). @default - none */
  readonly ingress?: IngressRule[];
  /** Ingress deny rules (they beat every allow). @default - none */
  readonly ingressDeny?: IngressDenyRule[];
  /** Egress allow rules (unioned). @default - none */
  readonly egress?: EgressRule[];
  /** Egress deny rules (they beat every allow). @default - none */
  readonly egressDeny?: EgressDenyRule[];
  /**
   * Whether the rule makes its endpoints default-deny. Set `false` for visibility or
   * deny-only rules that must not block anything else. @default - Cilium's: on for each direction the rule has rules for
   */
  readonly enableDefaultDeny?: DefaultDenyProps;
}

/** Props of `CiliumPolicy`: its first rule and the object around it. */
export interface CiliumPolicyProps extends RuleProps {
  /**
   * Namespace of the CiliumNetworkPolicy. Required unless `clusterwide`.
   * @default - none
   */
  readonly namespace?: string;
  /** Render a CiliumClusterwideNetworkPolicy instead. @default false */
  readonly clusterwide?: boolean;
  /** metadata.name. @default - generated from the construct path */
  readonly name?: string;
  /** Extra metadata labels and annotations. @default - none */
  readonly metadata?: PolicyMetadataProps;
  /** More rules in the same object (rendered as `specs`). @default - none */
  readonly additionalRules?: RuleProps[];
}

/**
 * A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy built from the typed vocabulary.
 * The patterns use it; use it directly for anything they don't cover.
 */
export class CiliumPolicy extends Construct {
  /** The generated L1 object. */
  readonly apiObject: ApiObject;
  /** True for a CiliumClusterwideNetworkPolicy. */
  readonly clusterwide: boolean;
  /** The namespace of a CiliumNetworkPolicy. */
  readonly namespace?: string;
  private readonly specs: MutableSpec[];
  private readonly producers: {
    ingress: Array<() => readonly IngressRule[]>;
    egress: Array<() => readonly EgressRule[]>;
  } = { ingress: [], egress: [] };

  constructor(scope: Construct, id: string, props: CiliumPolicyProps) {
    super(scope, id);
    this.clusterwide = props.clusterwide ?? false;
    this.namespace = props.namespace;
    atConstruct(this, () => {
      if (this.clusterwide && props.namespace) {
        invalidProp(
          'namespace',
          props.namespace,
          'a clusterwide policy has no namespace',
          'drop `namespace` or `clusterwide`',
        );
      }
      if (!this.clusterwide) {
        if (!props.namespace)
          invalidProp(
            'namespace',
            props.namespace,
            'a CiliumNetworkPolicy needs a namespace',
            'set `namespace`, or `clusterwide: true`',
          );
        validateNamespaceName('namespace', props.namespace);
      }
      if (props.name !== undefined) {
        const problem = dns1123SubdomainProblem(props.name);
        if (problem) invalidProp('name', props.name, problem, 'use a lowercase name such as `blog-ingress`');
      }
    });
    this.specs = [props, ...(props.additionalRules ?? [])].map((s) =>
      Object.assign({}, s, {
        ingress: [...(s.ingress ?? [])],
        ingressDeny: [...(s.ingressDeny ?? [])],
        egress: [...(s.egress ?? [])],
        egressDeny: [...(s.egressDeny ?? [])],
      }),
    );
    // Render once now so bad props fail at construct time, with this construct's path.
    this.renderSpecs();

    const metadata: ApiObjectMetadata = Object.assign(
      {},
      props.metadata,
      props.name ? { name: props.name } : {},
      props.namespace ? { namespace: props.namespace } : {},
    );
    this.apiObject = policyObject(this, 'Resource', this.clusterwide, {
      metadata,
      several: this.specs.length > 1,
      render: () => this.renderSpecs(),
    });
    atConstruct(this, () => claimPolicyName(this, this.apiObject));
    lintPoliciesAtSynth(this, (c): c is CiliumPolicy => c instanceof CiliumPolicy);
  }

  /** metadata.name as synthesized. */
  get name(): string {
    return this.apiObject.name;
  }

  /** Adds ingress rules to the first rule. */
  addIngress(...rules: IngressRule[]): void {
    this.add('ingress', rules);
  }
  /** Adds ingress deny rules to the first rule. */
  addIngressDeny(...rules: IngressDenyRule[]): void {
    this.add('ingressDeny', rules);
  }
  /** Adds egress rules to the first rule. */
  addEgress(...rules: EgressRule[]): void {
    this.add('egress', rules);
  }
  /** Adds egress deny rules to the first rule. */
  addEgressDeny(...rules: EgressDenyRule[]): void {
    this.add('egressDeny', rules);
  }

  /**
   * @internal Allow rules computed when the policy is synthesized (from what other constructs of
   * the app registered), appended to the first rule.
   */
  _addIngressAtSynth(produce: () => readonly IngressRule[]): void {
    this.producers.ingress.push(produce);
  }

  /** @internal Like `_addIngressAtSynth`, for egress rules. */
  _addEgressAtSynth(produce: () => readonly EgressRule[]): void {
    this.producers.egress.push(produce);
  }

  private add<K extends 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny'>(
    key: K,
    rules: MutableSpec[K],
  ): void {
    const target = this.specs[0][key] as unknown[];
    const before = target.length;
    target.push(...rules);
    try {
      this.renderSpecs();
    } catch (e) {
      target.splice(before);
      throw e;
    }
  }

  private renderSpecs(): cnp.CiliumNetworkPolicySpec | cnp.CiliumNetworkPolicySpec[] {
    const context: RenderContext = { namespace: this.namespace };
    const withProduced = this.specs.map((spec, i) =>
      i > 0
        ? spec
        : {
            ...spec,
            ingress: [...spec.ingress, ...this.producers.ingress.flatMap((p) => p())],
            egress: [...spec.egress, ...this.producers.egress.flatMap((p) => p())],
          },
    );
    const rendered = withProduced.map((spec, i) =>
      atConstruct(this, () => renderSpec(spec, context), this.specs.length === 1 ? undefined : `specs[${i}]`),
    );
    return this.specs.length === 1 ? rendered[0] : rendered;
  }
}

type MutableSpec = RuleProps & {
  ingress: IngressRule[];
  ingressDeny: IngressDenyRule[];
  egress: EgressRule[];
  egressDeny: EgressDenyRule[];
};

function renderSpec(spec: MutableSpec, context: RenderContext): cnp.CiliumNetworkPolicySpec {
  const subject = checkedSubject(spec, context);
  checkSections(spec);
  const ingress = renderIngress(spec, context);
  return {
    description: spec.description,
    endpointSelector: subject._render('endpointSelector') as cnp.CiliumNetworkPolicySpecEndpointSelector,
    ingress: nonEmpty(ingress),
    ingressDeny: nonEmpty(
      spec.ingressDeny.map((r, i) =>
        checked(`ingressDeny[${i}]`, r, IngressDenyRule)._render(`ingressDeny[${i}]`, context),
      ),
    ),
    egress: nonEmpty(
      spec.egress.map((r, i) => checked(`egress[${i}]`, r, EgressRule)._render(`egress[${i}]`, context)),
    ),
    egressDeny: nonEmpty(
      spec.egressDeny.map((r, i) =>
        checked(`egressDeny[${i}]`, r, EgressDenyRule)._render(`egressDeny[${i}]`, context),
      ),
    ),
    enableDefaultDeny: spec.enableDefaultDeny
      ? { ingress: spec.enableDefaultDeny.ingress, egress: spec.enableDefaultDeny.egress }
      : undefined,
  };
}

/** The rule's subject as it is written: in a CNP without the namespace Cilium adds itself. */
function checkedSubject(spec: MutableSpec, context: RenderContext): EndpointSelector {
  if (!spec.endpointSelector) {
    invalidProp(
      'endpointSelector',
      spec.endpointSelector,
      'a rule needs an endpoint selector',
      'select the pods, e.g. EndpointSelector.labels({ app: "blog" }), or EndpointSelector.all() on purpose',
    );
  }
  const subject = EndpointSelector.of(spec.endpointSelector);
  if (context.namespace && subject.namespace && subject.namespace !== context.namespace) {
    invalidProp(
      'endpointSelector.namespace',
      subject.namespace,
      `a CiliumNetworkPolicy in namespace ${context.namespace} only ever selects pods of that namespace`,
      `create the policy in namespace ${subject.namespace}`,
    );
  }
  const namespaceKey = [
    ...Object.keys(subject.matchLabels),
    ...subject.matchExpressions.map((e) => e.key),
  ].find(isNamespaceKey);
  if (context.namespace && namespaceKey) {
    invalidProp(
      'endpointSelector',
      namespaceKey,
      'Cilium scopes a CiliumNetworkPolicy subject to the policy namespace itself; a namespace key here is overwritten or makes the rule select nothing',
      'drop the key (the policy namespace applies), or use a clusterwide policy to select pods of other namespaces',
    );
  }
  return context.namespace && subject.namespace
    ? EndpointSelector.labels({ ...subject.matchLabels }, { expressions: subject.matchExpressions })
    : subject;
}

/** Cilium rejects a rule without sections; deny-only sections silently default-deny the rest. */
function checkSections(spec: MutableSpec): void {
  if (!spec.ingress.length && !spec.ingressDeny.length && !spec.egress.length && !spec.egressDeny.length) {
    invalidProp(
      'ingress',
      [],
      'a rule needs at least one of ingress, ingressDeny, egress or egressDeny (Cilium rejects empty rules)',
      'add a rule; for default-deny without allowing anything use IngressRule.defaultDeny()',
    );
  }
  for (const [direction, allows, denies] of [
    ['ingress', spec.ingress, spec.ingressDeny],
    ['egress', spec.egress, spec.egressDeny],
  ] as const) {
    if (denies.length && !allows.length && spec.enableDefaultDeny?.[direction] === undefined) {
      invalidProp(
        `${direction}Deny`,
        `${denies.length} deny rule(s)`,
        `a rule with only ${direction} deny rules also makes the pods ${direction} default-deny, dropping everything not allowed elsewhere (docs/cilium-semantics.md, "Default deny")`,
        `set enableDefaultDeny: { ${direction}: false } to deny only what the rules name, or ${direction}: true to default-deny on purpose`,
      );
    }
  }
}

/** The ingress rules, plus the host when a workload with probes would otherwise lose them. */
function renderIngress(spec: MutableSpec, context: RenderContext): cnp.CiliumNetworkPolicySpecIngress[] {
  const ingress = spec.ingress.map((r, i) =>
    checked(`ingress[${i}]`, r, IngressRule)._render(`ingress[${i}]`, context),
  );
  if (ingress.length && hasProbes(spec.endpointSelector) && !ingress.some(allowsHost)) {
    // kubelet probes come from the host: with a deny or allow-localhost=policy they would fail.
    ingress.push(
      IngressRule.allowFrom(Peer.entities(Entity.HOST))._render(`ingress[${ingress.length}]`, context),
    );
  }
  return ingress;
}

function allowsHost(rule: cnp.CiliumNetworkPolicySpecIngress): boolean {
  return !!rule.fromEntities?.some((e) => ['host', 'cluster', 'all'].includes(e)) && !rule.toPorts;
}

/** A rule of the wrong class (from JavaScript or Python) is refused with the class the field takes. */
function checked<T>(field: string, rule: unknown, expected: abstract new (...args: never[]) => T): T {
  if (rule instanceof expected) return rule;
  const given = (rule as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? typeof rule;
  return invalidProp(
    field,
    given,
    `${given} given where ${expected.name} is expected`,
    `use new ${expected.name}({ ... })`,
  );
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length ? items : undefined;
}

import { IConstruct } from 'constructs';
import { isIdentityLabel, isIdentityLabelKey } from '../cilium/identity-labels';
import { splitSelectorKey } from '../cilium/label-keys';
import { NAMESPACE_KEY, NAMESPACE_LABELS_PREFIX as NAMESPACE_LABELS_KEY_PREFIX } from '../cilium/labels';
import { invalidProp, underField } from './errors';
import { isConstruct, synthesizedWorkload } from './synthesized';
import {
  NAMESPACE_LABEL,
  NAMESPACE_LABELS_PREFIX,
  validateLabelKey,
  validateLabelValue,
  validateNamespaceName,
} from './labels';
import { compareStrings, sortStringsInPlace } from '../util/order';

/** The operator of a `matchExpressions` requirement. */
export enum LabelOperator {
  IN = 'In',
  NOT_IN = 'NotIn',
  EXISTS = 'Exists',
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** A `matchExpressions` requirement. */
export class LabelExpression {
  /** The label has one of the values. */
  static in(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.IN, values);
  }
  /** The label is missing or has none of the values. */
  static notIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.NOT_IN, values);
  }
  /** The label is present, with any value. */
  static exists(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.EXISTS);
  }
  /** The label is missing. */
  static doesNotExist(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.DOES_NOT_EXIST);
  }

  private constructor(
    /** The label key. */
    readonly key: string,
    /** How the label is matched. */
    readonly operator: LabelOperator,
    /** The values of `In` and `NotIn`. */
    readonly values?: string[],
  ) {}

  /** @internal */
  _render(field: string): RenderedExpression {
    validateLabelKey(`${field}.key`, this.key);
    if (this.operator === LabelOperator.IN || this.operator === LabelOperator.NOT_IN) {
      if (!this.values || this.values.length === 0) {
        invalidProp(
          `${field}.values`,
          this.values ?? [],
          `${this.operator} needs at least one value`,
          `give values, or use LabelExpression.${this.operator === LabelOperator.IN ? 'exists' : 'doesNotExist'}(key)`,
        );
      }
      this.values.forEach((v, i) => validateLabelValue(`${field}.values[${i}]`, v));
      return { key: this.key, operator: this.operator, values: [...new Set(this.values)].sort() };
    }
    return { key: this.key, operator: this.operator };
  }
}

export interface RenderedExpression {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values?: string[];
}

/** A rendered endpoint selector (plain data, shaped like the CRD's). */
export interface RenderedSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: RenderedExpression[];
}

/** Options of `EndpointSelector.labels`. */
export interface EndpointSelectorOptions {
  /**
   * Namespace of the selected pods. Rendered as `k8s:io.kubernetes.pod.namespace`, so the
   * selector means the same in a CNP of any namespace and in a CCNP.
   * @default - the policy's own namespace in a CiliumNetworkPolicy; every namespace in a CCNP
   */
  readonly namespace?: string;
  /** Extra `matchExpressions` requirements, ANDed with the labels. @default - none */
  readonly expressions?: LabelExpression[];
}

/** Options of `EndpointSelector.expressions`. */
export interface ExpressionsSelectorOptions {
  /** Namespace of the selected pods. @default - the policy's own namespace in a CiliumNetworkPolicy; every namespace in a CCNP */
  readonly namespace?: string;
}

/**
 * Selects Cilium endpoints (pods) by their labels, and optionally their namespace.
 *
 * Keys without a `source:` prefix match labels from any source, as in Cilium's own examples.
 */
export class EndpointSelector {
  /** Pods carrying all these labels. */
  static labels(labels: { [key: string]: string }, options: EndpointSelectorOptions = {}): EndpointSelector {
    return new EndpointSelector(labels, options.expressions ?? [], options.namespace);
  }

  /** Pods matching these `matchExpressions` requirements. */
  static expressions(
    expressions: LabelExpression[],
    options: ExpressionsSelectorOptions = {},
  ): EndpointSelector {
    return new EndpointSelector({}, expressions, options.namespace);
  }

  /** Every pod of one namespace. */
  static allInNamespace(namespace: string): EndpointSelector {
    return new EndpointSelector({}, [], namespace);
  }

  /** Every pod of the namespaces carrying these namespace labels (`io.cilium.k8s.namespace.labels.*`). */
  static namespaceLabels(labels: { [key: string]: string }): EndpointSelector {
    const keyed = Object.fromEntries(
      Object.entries(labels).map(([k, v]) => [`${NAMESPACE_LABELS_PREFIX}${k}`, v]),
    );
    return new EndpointSelector(keyed, [], undefined);
  }

  /**
   * The empty selector `{}`: every endpoint the policy scope allows (all pods of the namespace
   * in a CNP; every endpoint, reserved ones included, as a CCNP subject).
   */
  static all(): EndpointSelector {
    return new EndpointSelector({}, [], undefined);
  }

  /** A selector as given, or the pods of a workload construct (see {@link fromWorkload}). */
  static of(selector: EndpointSelector | IConstruct): EndpointSelector {
    return selector instanceof EndpointSelector ? selector : EndpointSelector.fromWorkload(selector);
  }

  /**
   * The pods of a workload construct: a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job or Pod
   * of any version, an `ApiObject`, or an `Include` / `Helm` construct that synthesizes exactly one
   * workload. Read from what it synthesizes whenever the selector is read: the workload's own
   * `spec.selector`, else its pod template's labels; its namespace when it names one.
   */
  static fromWorkload(workload: IConstruct): EndpointSelector {
    if (!isConstruct(workload)) {
      invalidProp(
        'workload',
        typeof workload,
        'not a construct',
        "pass a workload construct, or select the pods with EndpointSelector.labels({ app: 'web' })",
      );
    }
    return new EndpointSelector({}, [], undefined, workload);
  }

  private constructor(
    private readonly ownLabels: { [key: string]: string },
    private readonly ownExpressions: LabelExpression[],
    private readonly ownNamespace: string | undefined,
    private readonly workload?: IConstruct,
  ) {}

  /** The labels the pods carry (for a workload, read from what it synthesizes). */
  get matchLabels(): { [key: string]: string } {
    return this.workload ? workloadSelection(this.workload).matchLabels : this.ownLabels;
  }

  /** The `matchExpressions` requirements (for a workload, read from what it synthesizes). */
  get matchExpressions(): LabelExpression[] {
    return this.workload ? workloadSelection(this.workload).matchExpressions : this.ownExpressions;
  }

  /** The pods' namespace, when the selector names one (a workload's own namespace). */
  get namespace(): string | undefined {
    return (
      this.ownNamespace ?? (this.workload ? synthesizedWorkload(this.workload).declaredNamespace : undefined)
    );
  }

  /** A copy selecting pods in `namespace`. */
  inNamespace(namespace: string): EndpointSelector {
    return new EndpointSelector(this.ownLabels, this.ownExpressions, namespace, this.workload);
  }

  /** A copy with `namespace` filled in when the selector names none (and does not select by namespace itself). */
  withDefaultNamespace(namespace: string | undefined): EndpointSelector {
    if (this.namespace || !namespace || this.constrainsNamespace) return this;
    return this.inNamespace(namespace);
  }

  /** True when it names no labels, expressions nor namespace: `{}`. */
  get isEmpty(): boolean {
    return (
      Object.keys(this.matchLabels).length === 0 && this.matchExpressions.length === 0 && !this.namespace
    );
  }

  /** True when the selector itself restricts namespaces (namespace key or namespace labels). */
  get constrainsNamespace(): boolean {
    const keys = [...Object.keys(this.matchLabels), ...this.matchExpressions.map((e) => e.key)];
    return !!this.namespace || keys.some((k) => isNamespaceKey(k) || k.includes(NAMESPACE_LABELS_KEY_PREFIX));
  }

  /** @internal */
  _render(field: string): RenderedSelector {
    const labels = this.matchLabels;
    const namespace = this.namespace;
    const keys = sortStringsInPlace(Object.keys(labels));
    for (const key of keys) {
      underField(`${field}.matchLabels`, () => {
        validateLabelKey(key, key);
        validateLabelValue(key, labels[key]);
      });
      if (leftOutOfIdentities(key)) {
        invalidProp(
          `${field}.matchLabels`,
          key,
          'Cilium leaves this label out of security identities, so the selector would never match',
          'select on a label that is part of the identity, such as `app` or `app.kubernetes.io/name`',
        );
      }
      if (isNamespaceKey(key) && namespace) {
        invalidProp(
          `${field}.matchLabels`,
          key,
          'the namespace is given twice',
          'use the `namespace` option only',
        );
      }
    }
    if (namespace) validateNamespaceName(`${field}.namespace`, namespace);
    // The labels in key order, the namespace's among them.
    const matchLabels: Record<string, string> = {};
    let namespaceWritten = !namespace;
    for (const key of keys) {
      if (!namespaceWritten && NAMESPACE_LABEL < key) {
        matchLabels[NAMESPACE_LABEL] = namespace!;
        namespaceWritten = true;
      }
      matchLabels[key] = labels[key];
    }
    if (!namespaceWritten) matchLabels[NAMESPACE_LABEL] = namespace!;
    const matchExpressions = this.matchExpressions
      .map((e, i) => {
        const rendered = e._render(`${field}.expressions[${i}]`);
        if (leftOutOfIdentities(rendered.key)) {
          invalidProp(
            `${field}.expressions[${i}].key`,
            rendered.key,
            'Cilium leaves this label out of security identities, so the requirement never sees it',
            'use a label that is part of the identity',
          );
        }
        return rendered;
      })
      .sort((a, b) => compareStrings(JSON.stringify(a), JSON.stringify(b)));
    const out: { matchLabels?: Record<string, string>; matchExpressions?: RenderedExpression[] } = {};
    if (keys.length > 0 || namespace) out.matchLabels = matchLabels;
    if (matchExpressions.length > 0) out.matchExpressions = matchExpressions;
    return out;
  }
}

/** `io.kubernetes.pod.namespace` with any source prefix (or none). */
export function isNamespaceKey(key: string): boolean {
  return key === NAMESPACE_KEY || key.endsWith(`:${NAMESPACE_KEY}`);
}

/** Cilium's label filter drops the key from identities, so no selector on it ever matches. */
function leftOutOfIdentities(selectorKey: string): boolean {
  const { source, key } = splitSelectorKey(selectorKey);
  return !isIdentityLabel({ source, key, value: '' });
}

function expressionOf(key: string, operator: string, values?: string[]): LabelExpression {
  switch (operator) {
    case 'In':
      return LabelExpression.in(key, values ?? []);
    case 'NotIn':
      return LabelExpression.notIn(key, values ?? []);
    case 'Exists':
      return LabelExpression.exists(key);
    case 'DoesNotExist':
      return LabelExpression.doesNotExist(key);
    default:
      return invalidProp(
        'selector.matchExpressions',
        operator,
        'unsupported operator',
        'use In, NotIn, Exists or DoesNotExist',
      );
  }
}

/** What a workload's pods are known by: its own selector, else its pod template's identity labels. */
function workloadSelection(workload: IConstruct): {
  matchLabels: Record<string, string>;
  matchExpressions: LabelExpression[];
} {
  const read = synthesizedWorkload(workload);
  if (read.selector) {
    return {
      matchLabels: { ...read.selector.matchLabels },
      matchExpressions: read.selector.matchExpressions.map((e) =>
        expressionOf(e.key, e.operator, e.values ? [...e.values] : undefined),
      ),
    };
  }
  const labels = Object.entries(read.podLabels).filter(([key]) => isIdentityLabelKey(key));
  return { matchLabels: Object.fromEntries(labels), matchExpressions: [] };
}

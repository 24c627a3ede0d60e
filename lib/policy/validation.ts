import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { lintPolicyObjects } from '../lint';
import { invalidProp } from './errors';
import { KubeManifest } from '../manifest/types';

const validatedCharts = new WeakSet<Chart>();
const namesByRoot = new WeakMap<IConstruct, Map<string, IConstruct>>();

/**
 * Refuses a second policy with the same kind, namespace and name in one app: on apply one would
 * silently replace the other. Policies of this library are refused when constructed; at synth
 * every CNP/CCNP ApiObject of the app (hand-written and included ones too) is checked.
 */
export function claimPolicyName(policy: IConstruct, apiObject: ApiObject): void {
  const root = policy.node.root;
  let names = namesByRoot.get(root);
  if (!names) {
    namesByRoot.set(root, (names = new Map()));
    root.node.addValidation({ validate: () => duplicatePolicies(root) });
  }
  const key = `${apiObject.kind} ${apiObject.metadata.namespace ? `${apiObject.metadata.namespace}/` : ''}${apiObject.name}`;
  const first = names.get(key);
  if (first) {
    invalidProp('name', apiObject.name, `${key} is already defined by ${first.node.path}; on apply one would silently replace the other`,
      'give one of them another `name`');
  }
  names.set(key, policy);
}

function duplicatePolicies(root: IConstruct): string[] {
  const seen = new Map<string, string[]>();
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || !c.apiVersion.startsWith('cilium.io/')) continue;
    if (c.kind !== 'CiliumNetworkPolicy' && c.kind !== 'CiliumClusterwideNetworkPolicy') continue;
    const key = `${c.kind} ${c.metadata.namespace ? `${c.metadata.namespace}/` : ''}${c.name}`;
    const paths = seen.get(key);
    if (paths) paths.push(c.node.path);
    else seen.set(key, [c.node.path]);
  }
  return [...seen].filter(([, paths]) => paths.length > 1)
    .map(([key, paths]) => `${key} is defined ${paths.length} times (${paths.join(', ')}); on apply one would silently replace the other. Fix: give each its own metadata.name`);
}

/**
 * Makes the chart of a policy lint, at synth, the error-level rules on every policy of this
 * library it holds, with every manifest of the app (Services, workloads, other policies) as
 * context, so cross-object mistakes such as a Service port used instead of its targetPort fail
 * `cdk8s synth` and `Testing.synth`. One lint pass per chart, however many policies it holds.
 */
export function lintPoliciesOfChart(scope: IConstruct, isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject }): void {
  const chart = Chart.of(scope);
  if (validatedCharts.has(chart)) return;
  validatedCharts.add(chart);
  chart.node.addValidation({
    validate: () => {
      const policies = chart.node.findAll().filter(isPolicy);
      if (policies.length === 0) return [];
      const rendered = new Map(policies.map((p) => [p.apiObject, p.apiObject.toJson() as KubeManifest]));
      const others = chart.node.root.node.findAll()
        .filter((c): c is ApiObject => c instanceof ApiObject && !rendered.has(c))
        .map((o) => o.toJson() as KubeManifest);
      const pathOf = new Map(policies.map((p) => [identity(rendered.get(p.apiObject)!), p.node.path]));
      return lintPolicyObjects([...rendered.values()], { manifests: others })
        .filter((f) => f.severity === 'error')
        .map((f) => `[${pathOf.get(`${f.kind}/${f.namespace ?? ''}/${f.name}`) ?? chart.node.path}] ${f.rule}: ${f.message.replace(/[.]?$/, '.')} Fix: ${f.fix}`);
    },
  });
}

function identity(m: KubeManifest): string {
  return `${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name}`;
}

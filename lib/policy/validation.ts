import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { lintPolicyObjects } from '../lint';
import { KubeManifest } from '../manifest/types';

const validatedCharts = new WeakSet<Chart>();

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

import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ALL_RULES, lintPolicyObjects, sortFindings } from '../lint';
import { invalidProp } from './errors';
import { LintFinding } from '../lint/types';
import { perSynth, perSynthOf, renderedObjects, trackSynthPasses } from './synth-pass';

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
    trackSynthPasses(root);
    root.node.addValidation({
      validate: () => perSynth(root, 'duplicate-policies', () => duplicatePolicies(root)),
    });
  }
  const key = `${apiObject.kind} ${apiObject.metadata.namespace ? `${apiObject.metadata.namespace}/` : ''}${apiObject.name}`;
  const first = names.get(key);
  if (first) {
    invalidProp(
      'name',
      apiObject.name,
      `${key} is already defined by ${first.node.path}; on apply one would silently replace the other`,
      'give one of them another `name`',
    );
  }
  names.set(key, policy);
}

function duplicatePolicies(root: IConstruct): string[] {
  const seen = new Map<string, string[]>();
  for (const { object: c } of renderedObjects(root)) {
    if (!c.apiVersion.startsWith('cilium.io/')) continue;
    if (c.kind !== 'CiliumNetworkPolicy' && c.kind !== 'CiliumClusterwideNetworkPolicy') continue;
    const key = `${c.kind} ${c.metadata.namespace ? `${c.metadata.namespace}/` : ''}${c.name}`;
    const paths = seen.get(key);
    if (paths) paths.push(c.node.path);
    else seen.set(key, [c.node.path]);
  }
  return [...seen]
    .filter(([, paths]) => paths.length > 1)
    .map(
      ([key, paths]) =>
        `${key} is defined ${paths.length} times (${paths.join(', ')}); on apply one would silently replace the other. Fix: give each its own metadata.name`,
    );
}

/**
 * Makes the chart of a policy lint, at synth, the error-level rules on every policy of this
 * library it holds, with every manifest of the app (Services, workloads, other policies) as
 * context, so cross-object mistakes such as a Service port used instead of its targetPort fail
 * `cdk8s synth` and `Testing.synth`. One lint pass per chart, however many policies it holds.
 */
export function lintPoliciesOfChart(
  scope: IConstruct,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
): void {
  const chart = Chart.of(scope);
  if (validatedCharts.has(chart)) return;
  validatedCharts.add(chart);
  const root = chart.node.root;
  trackSynthPasses(root);
  // cdk8s validates the whole app once per chart it writes: keep each pass's work per chart small.
  // One lint of every policy of the app per synth; each chart reports its own policies' findings.
  const problems = perSynthOf(root, () =>
    chartProblems(
      chart,
      isPolicy,
      perSynth(root, 'lint', () => lintApp(root, isPolicy)),
    ),
  );
  chart.node.addValidation({ validate: problems });
}

function chartProblems(
  chart: Chart,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
  findings: Map<string, LintFinding[]>,
): string[] {
  const policies = chart.node.findAll().filter(isPolicy);
  if (policies.length === 0) return [];
  const pathOf = new Map(
    policies.map((p) => [
      `${p.apiObject.kind}/${p.apiObject.metadata.namespace ?? ''}/${p.apiObject.name}`,
      p.node.path,
    ]),
  );
  return sortFindings([...pathOf.keys()].flatMap((key) => findings.get(key) ?? [])).map(
    (f) =>
      `[${pathOf.get(`${f.kind}/${f.namespace ?? ''}/${f.name}`) ?? chart.node.path}] ${f.rule}: ${f.message.replace(/[.]?$/, '.')} Fix: ${typescriptFix(f)}`,
  );
}

/**
 * The fix in this library's TypeScript for the findings a construct's policy can carry (the
 * linter's own fixes are written for YAML).
 */
function typescriptFix(f: LintFinding): string {
  const port = /write port: "([^"]+)"/.exec(f.fix)?.[1];
  switch (f.rule) {
    case 'service-port-instead-of-target-port':
      return `give the container port${port ? ` (${port})` : ''}: Port.fromService(service) resolves a Service to its targetPort`;
    case 'cidr-for-in-cluster-peer':
      return 'select in-cluster peers by identity, e.g. Peer.endpoints(EndpointSelector.labels({ app: "db" }, { namespace: "shop" })) or Peer.entities(Entity.CLUSTER), not Peer.cidr(...)';
    case 'fqdn-without-dns-proxy':
      return "add the DNS rule: FqdnEgress adds it, or new EgressRule({ to: Peer.kubeDns(), ports: [Port.any(53)], dns: [Fqdn.pattern('*')] })";
    case 'ccnp-default-deny-without-dns':
      return 'use ClusterDefaultDeny, which keeps DNS allowed in the same object';
    default:
      return f.fix;
  }
}

/**
 * Synth fails on errors only, so only the error-level rules run: a warning never changes which
 * errors are reported (repeats are judged among errors, placeholders per finding).
 */
const ERROR_RULES = ALL_RULES.filter((r) => r.severity === 'error');

/** The error-level findings on every policy of this library in the app, by policy, in lint order. */
function lintApp(
  root: IConstruct,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
): Map<string, LintFinding[]> {
  const own = new Set<ApiObject>(
    root.node
      .findAll()
      .filter(isPolicy)
      .map((p) => p.apiObject),
  );
  const rendered = renderedObjects(root);
  const policies = rendered.filter((r) => own.has(r.object)).map((r) => r.manifest);
  const others = rendered.filter((r) => !own.has(r.object)).map((r) => r.manifest);
  const out = new Map<string, LintFinding[]>();
  for (const f of lintPolicyObjects(policies, { manifests: others, options: { rules: ERROR_RULES } })) {
    const key = `${f.kind}/${f.namespace ?? ''}/${f.name}`;
    const list = out.get(key);
    if (list) list.push(f);
    else out.set(key, [f]);
  }
  return out;
}

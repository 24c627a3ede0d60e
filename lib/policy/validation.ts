import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ALL_RULES, lintPolicyObjects, sortFindings } from '../lint';
import { invalidProp } from './errors';
import { LintFinding } from '../lint/types';
import {
  perSynth,
  perSynthOf,
  renderedObjects,
  sharingSanitizeOfThisSynth,
  trackSynthPasses,
} from './synth-pass';

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
 * Makes the app of a policy lint, at synth, the error-level rules on every policy of this
 * library it holds, with every manifest of the app (Services, workloads, other policies) as
 * context, so cross-object mistakes such as a Service port used instead of its targetPort fail
 * `cdk8s synth` and `Testing.synth`. One lint of every policy of the app per synth; each chart
 * reports its own policies' findings.
 */
export function lintPoliciesAtSynth(
  scope: IConstruct,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
): void {
  const root = scope.node.root;
  if (lintedRoots.has(root)) return;
  lintedRoots.add(root);
  trackSynthPasses(root);
  // cdk8s validates the whole app once per chart it writes: the root (validated first, the rest
  // in pre-order) hands the findings to the charts that hold them, and only those charts carry a
  // validation, so a pass over a clean app costs nothing per chart.
  root.node.addValidation({
    validate: () => {
      const charts = perSynth(root, 'lint-charts', () => chartsWithFindings(root, isPolicy));
      for (const chart of charts) reportAtChart(chart, root, isPolicy);
      return [];
    },
  });
}

const lintedRoots = new WeakSet<IConstruct>();

function lintFindings(
  root: IConstruct,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
): Map<string, LintFinding[]> {
  return perSynth(root, 'lint', () => sharingSanitizeOfThisSynth(root, () => lintApp(root, isPolicy)));
}

/** The charts of policies that report a finding: each holding chart of such a policy. */
function chartsWithFindings(
  root: IConstruct,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
): Chart[] {
  const findings = lintFindings(root, isPolicy);
  if (findings.size === 0) return [];
  const policies = root.node.findAll().filter(isPolicy);
  // A chart reports the policies of its whole subtree, nested charts' too.
  const policyCharts = new Set(policies.map((p) => Chart.of(p)));
  const out = new Set<Chart>();
  for (const p of policies) {
    if (!findings.has(policyKey(p))) continue;
    for (const s of p.node.scopes) if (policyCharts.has(s as Chart)) out.add(s as Chart);
  }
  return [...out];
}

function reportAtChart(
  chart: Chart,
  root: IConstruct,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
): void {
  if (validatedCharts.has(chart)) return;
  validatedCharts.add(chart);
  chart.node.addValidation({
    validate: perSynthOf(root, () => chartProblems(chart, isPolicy, lintFindings(root, isPolicy))),
  });
}

function policyKey(p: { apiObject: ApiObject }): string {
  return `${p.apiObject.kind}/${p.apiObject.metadata.namespace ?? ''}/${p.apiObject.name}`;
}

function chartProblems(
  chart: Chart,
  isPolicy: (c: IConstruct) => c is IConstruct & { apiObject: ApiObject },
  findings: Map<string, LintFinding[]>,
): string[] {
  const policies = chart.node.findAll().filter(isPolicy);
  if (policies.length === 0) return [];
  const pathOf = new Map(policies.map((p) => [policyKey(p), p.node.path]));
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

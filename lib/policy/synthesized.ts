import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isServiceManifest, readService, ServiceRead } from '../manifest/service';
import { PodTemplateWorkload, readWorkload, WORKLOAD_KINDS } from '../manifest/workload';
import { invalidProp } from './errors';

/**
 * Workloads and Services given as constructs (a cdk8s-plus Deployment of any version, a
 * hand-written ApiObject, an Include, cdk8s's Helm chart construct ...), read from the manifests
 * they synthesize, each time they are read, so what is rendered at synth is current.
 */

interface Synthesized {
  readonly json: unknown;
  readonly description: string;
}

/** The manifests the construct and its children synthesize, in construct tree order. */
function synthesized(scope: IConstruct, field: string): Synthesized[] {
  return scope.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((o) => {
      let json: unknown;
      try {
        json = o.toJson();
      } catch (e) {
        invalidProp(
          field,
          o.node.path,
          `the construct cannot be synthesized yet (${(e as Error).message})`,
          'finish it (e.g. add the containers of a workload) before the policy is synthesized',
        );
      }
      const namespace = o.metadata.namespace ? `${o.metadata.namespace}/` : '';
      return { json, description: `${o.kind} ${namespace}${o.name}` };
    });
}

function describeFound(found: readonly Synthesized[]): string {
  const shown = found.slice(0, 5).map((f) => f.description);
  return `${shown.join(', ')}${found.length > 5 ? ` and ${found.length - 5} more` : ''}`;
}

/** True when `value` is a construct (anything with a construct node), whatever its library. */
export function isConstruct(value: unknown): value is IConstruct {
  return typeof value === 'object' && value !== null && 'node' in value && typeof value.node === 'object';
}

/**
 * The one workload a construct synthesizes (a kind with a pod template: Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod, PodTemplate, Argo Rollout).
 */
export function synthesizedWorkload(scope: IConstruct): PodTemplateWorkload {
  const all = synthesized(scope, 'workload');
  const workloads = all.flatMap((s) => {
    const reading = readWorkload(s.json);
    return reading ? [{ ...s, reading }] : [];
  });
  if (workloads.length === 0) {
    invalidProp(
      'workload',
      scope.node.path,
      all.length === 0
        ? 'the construct synthesizes no Kubernetes object'
        : `the construct synthesizes no workload (it synthesizes ${describeFound(all)})`,
      `pass the construct of the workload itself (${WORKLOAD_KINDS.join(', ')}), or select the pods with EndpointSelector.labels({ app: 'web' })`,
    );
  }
  if (workloads.length > 1) {
    invalidProp(
      'workload',
      scope.node.path,
      `the construct synthesizes ${workloads.length} workloads (${describeFound(workloads)})`,
      "pass one of them, e.g. chart.apiObjects.find((o) => o.kind === 'Deployment' && o.name === 'web')",
    );
  }
  const { reading, description } = workloads[0];
  if (!reading.workload || reading.problems.length > 0) {
    invalidProp(
      'workload',
      scope.node.path,
      `${description} is not a valid workload: ${reading.problems.join('; ')}`,
      'fix the workload manifest',
    );
  }
  return reading.workload;
}

/** The one Service a construct synthesizes. */
export function synthesizedService(scope: IConstruct): ServiceRead {
  const all = synthesized(scope, 'service');
  const services = all.filter((s) => isServiceManifest(s.json));
  if (services.length !== 1) {
    invalidProp(
      'service',
      scope.node.path,
      services.length === 0
        ? all.length === 0
          ? 'the construct synthesizes no Kubernetes object'
          : `the construct synthesizes no Service (it synthesizes ${describeFound(all)})`
        : `the construct synthesizes ${services.length} Services (${describeFound(services)})`,
      services.length === 0
        ? 'pass the Service construct (a cdk8s-plus Service or an ApiObject of kind Service)'
        : "pass one of them, e.g. chart.apiObjects.find((o) => o.kind === 'Service' && o.name === 'web')",
    );
  }
  return readService(services[0].json);
}

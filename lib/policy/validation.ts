import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { lintPolicyObjects } from '../lint';
import { KubeManifest } from '../manifest/types';

/**
 * Runs the linter's error-level rules on a policy's own synthesized object, with every other
 * manifest of the app (Services, workloads, policies) as context, so cross-object mistakes such
 * as a Service port used instead of its targetPort fail `cdk8s synth`.
 */
export function lintOwnOutput(scope: IConstruct, apiObject: ApiObject): string[] {
  const own = apiObject.toJson() as KubeManifest;
  const others = scope.node.root.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c !== apiObject)
    .map((o) => o.toJson() as KubeManifest);
  return lintPolicyObjects([own], { manifests: others, origin: scope.node.path })
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.rule}: ${f.message.replace(/[.]?$/, '.')} Fix: ${f.fix}`);
}

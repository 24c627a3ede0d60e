import * as path from 'path';
import { lintManifests, lintPolicyObjects } from '../../lib/lint';
import { loadManifests } from '../../lib/manifest/load';

const BLOG = path.join(__dirname, '..', 'fixtures', 'lint', 'blog');

describe("lintPolicyObjects (for constructs' node.addValidation)", () => {
  const manifests = loadManifests([path.join(BLOG, '1-webapp-service-port.yaml')]).map((s) => s.manifest);
  const [deployment, service, webappIngress, frontendEgress] = manifests;

  it('reports only the given policies, using the other manifests as context', () => {
    const findings = lintPolicyObjects([webappIngress], { manifests, origin: 'shop/WebappIngress' });
    expect(findings.map((f) => [f.rule, f.name, f.path, f.file])).toEqual([
      [
        'service-port-instead-of-target-port',
        'webapp-ingress',
        'spec.ingress[0].toPorts[0].ports[0].port',
        'shop/WebappIngress',
      ],
    ]);
  });

  it('resolves what the context allows, and no more', () => {
    expect(lintPolicyObjects([webappIngress, frontendEgress], { manifests: [deployment] })).toEqual([]);
    // a named targetPort cannot be resolved without the workload
    expect(lintPolicyObjects([frontendEgress], { manifests: [service] })).toEqual([]);
    // a numeric one can: the Service's selector stands in for the pods
    const numeric = {
      ...service,
      spec: { ...(service.spec as object), ports: [{ port: 8080, targetPort: 3000 }] },
    };
    expect(lintPolicyObjects([frontendEgress], { manifests: [numeric] }).map((f) => f.name)).toEqual([
      'frontend-egress',
    ]);
  });

  it('agrees with lintManifests on the same input', () => {
    const all = lintManifests(manifests).findings;
    expect(lintPolicyObjects([webappIngress, frontendEgress], { manifests })).toEqual(all);
  });
});

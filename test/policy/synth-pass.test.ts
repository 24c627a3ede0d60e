/** The synth-time checks run once per synth, however many charts cdk8s writes, and again on every new synth. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  CiliumPolicy,
  ClusterDefaultDeny,
  Entity,
  EndpointSelector,
  IngressController,
  IngressControllerPolicy,
  IngressOnlyApp,
  IngressRule,
  LockdownApp,
  Peer,
  Port,
} from '../../lib';
import { PolicyEngine } from '../../lib/engine/engine';

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'synth-pass-'));
});
afterEach(() => {
  rmSync(outdir, { recursive: true, force: true });
  jest.restoreAllMocks();
});

function apps(app: App, count: number): void {
  for (let i = 0; i < count; i++) {
    new IngressOnlyApp(new Chart(app, `app${i}`), 'app', {
      namespace: `ns${i}`,
      pods: EndpointSelector.labels({ app: 'web' }),
      ports: [Port.tcp(8080)],
      ingressController: IngressController.traefik(),
    });
  }
}

test('one App.synth() verifies the declared connections once, not once per chart', () => {
  const app = new App({ outdir });
  apps(app, 5);
  const engines = jest.spyOn(PolicyEngine, 'fromManifests');
  app.synth();
  expect(engines).toHaveBeenCalledTimes(1);
  app.synthYaml();
  expect(engines).toHaveBeenCalledTimes(2);
});

test('a second synth after a change checks the changed app', () => {
  const app = new App({ outdir });
  apps(app, 3);
  expect(() => app.synth()).not.toThrow();
  // Egress default deny for every namespace: Traefik now needs its own policy to reach the apps.
  new ClusterDefaultDeny(new Chart(app, 'deny'), 'deny', { egress: true });
  expect(() => app.synth()).toThrow(/declared connection .* would be dropped once enforced/);
  new IngressControllerPolicy(new Chart(app, 'traefik'), 'traefik', {
    controller: IngressController.traefik(),
  });
  expect(() => app.synth()).not.toThrow();
});

test('Testing.synth of each chart checks afresh', () => {
  const app = Testing.app();
  apps(app, 2);
  const engines = jest.spyOn(PolicyEngine, 'fromManifests');
  Testing.synth(app.charts[0]);
  Testing.synth(app.charts[1]);
  expect(engines).toHaveBeenCalledTimes(2);
});

test('LockdownApp validates before writing and its synth reuses that pass', () => {
  const app = new LockdownApp({ outdir });
  apps(app, 3);
  const engines = jest.spyOn(PolicyEngine, 'fromManifests');
  app.synth();
  expect(engines).toHaveBeenCalledTimes(1);
  app.synth();
  expect(engines).toHaveBeenCalledTimes(2);
});

test('LockdownApp checks the changed app on its next synth', () => {
  const app = new LockdownApp({ outdir });
  apps(app, 2);
  expect(() => app.synth()).not.toThrow();
  new ClusterDefaultDeny(new Chart(app, 'deny'), 'deny', { egress: true });
  expect(() => app.synth()).toThrow(/declared connection .* would be dropped once enforced/);
});

test('App.synth() renders each policy once: cdk8s writes the manifest the checks read', () => {
  const app = new App({ outdir });
  apps(app, 3);
  const lockdown = new LockdownApp({ outdir });
  apps(lockdown, 2);
  // Constructing renders each policy once too (to refuse bad props there): count from here.
  const render = jest.spyOn(CiliumPolicy.prototype as unknown as { renderSpecs(): unknown }, 'renderSpecs');
  app.synth();
  expect(render).toHaveBeenCalledTimes(3);
  app.synthYaml();
  expect(render).toHaveBeenCalledTimes(6);
  lockdown.synth();
  expect(render).toHaveBeenCalledTimes(8);
});

test('a policy changed after a synth renders afresh, in and out of the next synth', () => {
  const app = new App({ outdir });
  const policy = new CiliumPolicy(new Chart(app, 'c'), 'p', {
    namespace: 'shop',
    endpointSelector: EndpointSelector.labels({ app: 'web' }),
    ingress: [IngressRule.allowFrom(Peer.entities(Entity.CLUSTER))],
  });
  const before = app.synthYaml();
  policy.addIngress(IngressRule.allowFrom(Peer.entities(Entity.WORLD)));
  expect(JSON.stringify(policy.apiObject.toJson())).toContain('world');
  const after = app.synthYaml();
  expect(after).not.toEqual(before);
  expect(after).toContain('- world');
  expect(Testing.synth(Chart.of(policy))[0]).toEqual(policy.apiObject.toJson());
});

test('a clean app carries no validation per chart or per declaring construct: each chart cdk8s writes validates the whole app', () => {
  const app = new App({ outdir });
  apps(app, 4);
  app.synth();
  const validating = app.node
    .findAll()
    .filter(
      (c) =>
        c !== app &&
        c.node.validate().length === 0 &&
        (c.node as unknown as { _validations?: unknown[] })._validations?.length,
    );
  expect(validating.map((c) => c.node.path)).toEqual([]);
});

test('a lint error in a nested chart is reported by every chart holding the policy, as before', () => {
  const app = Testing.app();
  const outer = new Chart(app, 'outer');
  new CiliumPolicy(outer, 'ok', {
    namespace: 'shop',
    endpointSelector: EndpointSelector.labels({ app: 'db' }),
    ingress: [IngressRule.allowFrom(Peer.entities(Entity.HOST))],
  });
  const inner = new Chart(outer, 'inner');
  const web = new plus.Deployment(inner, 'web', {
    metadata: { namespace: 'shop' },
    containers: [{ image: 'web', portNumber: 3000 }],
  });
  new plus.Service(inner, 'svc', {
    metadata: { namespace: 'shop' },
    ports: [{ port: 8080, targetPort: 3000 }],
  }).select(web);
  new IngressOnlyApp(inner, 'web-policy', {
    pods: web,
    ports: [Port.tcp(8080)],
    ingressController: IngressController.traefik(),
  });
  const lintErrors = (): string[] => {
    try {
      app.synthYaml();
    } catch (e) {
      return String(e)
        .split('\n')
        .filter((l) => l.includes('service-port-instead-of-target-port'))
        .map((l) => l.trim().split(' service-port')[0]);
    }
    return [];
  };
  expect(lintErrors()).toEqual([
    '[outer] [outer/inner/web-policy/Policy]',
    '[outer/inner] [outer/inner/web-policy/Policy]',
  ]);
});

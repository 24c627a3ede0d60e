import { App } from 'cdk8s';
import { LockdownApp } from '../../lib/helm';
import { homelabCiliumValues } from './cilium-values';
import { HomelabPolicies } from './policies';
import { HomelabWorkloads } from './workloads';

/** Builds the homelab into an app (tests call this with a test app). */
export function buildHomelab(app: App): { workloads: HomelabWorkloads; policies: HomelabPolicies } {
  const workloads = new HomelabWorkloads(app, 'homelab-workloads');
  const policies = new HomelabPolicies(app, 'homelab-policies', workloads);
  // Not a chart: the values go to dist/cilium/values.yaml, never into a *.k8s.yaml.
  homelabCiliumValues(app, 'cilium');
  return { workloads, policies };
}

if (require.main === module) {
  const app = new LockdownApp();
  buildHomelab(app);
  app.synth();
}

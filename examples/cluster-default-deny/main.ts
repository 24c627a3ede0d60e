import { App, Chart } from 'cdk8s';
import { ClusterDefaultDeny } from '../../lib';

/** Default-deny ingress and egress for every pod outside kube-system and monitoring; DNS keeps working. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'cluster-default-deny');
  new ClusterDefaultDeny(chart, 'default-deny', {
    exemptNamespaces: ['kube-system', 'monitoring'],
    egress: true,
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}

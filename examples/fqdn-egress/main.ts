import { App, Chart } from 'cdk8s';
import { EndpointSelector, Fqdn, FqdnEgress } from '../../lib';

/** A backup job that may only reach its object store, with DNS through Cilium's proxy. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'fqdn-egress');
  new FqdnEgress(chart, 'backup', {
    namespace: 'backup',
    pods: EndpointSelector.labels({ app: 'restic' }),
    fqdns: [Fqdn.name('s3.eu-central-1.amazonaws.com'), Fqdn.domainAndSubdomains('backblazeb2.com')],
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}

import { App, Chart } from 'cdk8s';
import {
  ArgoCd,
  ArgoCdComponent,
  ClusterDefaultDeny,
  Fqdn,
  IngressController,
  IngressControllerPolicy,
  Port,
} from '../../lib';

/**
 * Argo CD under a cluster default deny in both directions: each component reaches exactly the
 * others it calls on the upstream chart's ports, the API server, DNS and the git hosts (GitHub
 * and a GitLab over SSH too), with the UI through ingress-nginx.
 */
export function build(app: App): Chart {
  const chart = new Chart(app, 'argocd');
  const nginx = IngressController.ingressNginx();
  new IngressControllerPolicy(chart, 'ingress-nginx', { controller: nginx });
  new ArgoCd(chart, 'argocd', {
    ingressController: nginx,
    gitHosts: [
      Fqdn.domainAndSubdomains('github.com'),
      Fqdn.domainAndSubdomains('githubusercontent.com'),
      Fqdn.name('gitlab.example.com'),
    ],
    gitPorts: [Port.tcp(443), Port.tcp(22)],
    disabled: [ArgoCdComponent.DEX_SERVER],
  });
  new ClusterDefaultDeny(chart, 'default-deny', { egress: true });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}

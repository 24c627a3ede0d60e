import * as path from 'path';
import { ApiObject, App, Chart, Include } from 'cdk8s';

const KUBE_DNS = {
  toEndpoints: [
    { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } },
  ],
  toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
};

const app = new App();
const chart = new Chart(app, 'argocd', { namespace: 'argocd' });
new ApiObject(chart, 'repo-server-egress', {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'repo-server-egress' },
  spec: {
    endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'argocd-repo-server' } },
    egress: [
      KUBE_DNS,
      { toFQDNs: [{ matchName: 'github.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
    ],
  },
});
new Include(chart, 'cluster-default-deny', {
  url: path.join(__dirname, 'manifests', 'default-deny-with-dns.yaml'),
});
app.synth();

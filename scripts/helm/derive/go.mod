module github.com/cdk8s-cilium-lockdown/scripts/helm/derive

go 1.26.0

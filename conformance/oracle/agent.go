package main

import (
	"fmt"
	"log/slog"
	"sync"

	"github.com/cilium/cilium/pkg/labelsfilter"
	"github.com/cilium/cilium/pkg/option"
	"github.com/cilium/cilium/pkg/policy"
	"github.com/cilium/cilium/pkg/policy/api"
)

// agentConfig is the part of the agent configuration the oracle honours, resolved from
// EngineOptions with the Helm/agent defaults of Cilium 1.20 on Kubernetes.
type agentConfig struct {
	enforcementMode string // option.DefaultEnforcement | AlwaysEnforce | NeverEnforce
	auditMode       bool
	clusterName     string
}

var discardLogger = slog.New(slog.DiscardHandler)

var initLabelsFilter = sync.OnceValue(func() error {
	// No user prefixes and no file: the agent's default identity-relevant label filter.
	return labelsfilter.ParseLabelPrefixCfg(discardLogger, nil, nil, "")
})

// applyAgentOptions writes the options into Cilium's process-wide configuration (option.Config,
// the policy enforcement mode and the `cluster` entity), exactly where the agent puts its flags.
// Vectors are evaluated one after the other, so the globals are never shared between two.
func applyAgentOptions(o EngineOptions) (agentConfig, error) {
	if err := initLabelsFilter(); err != nil {
		return agentConfig{}, fmt.Errorf("label filter: %w", err)
	}
	cfg := agentConfig{auditMode: o.PolicyAuditMode, clusterName: o.ClusterName}
	if cfg.clusterName == "" {
		cfg.clusterName = "default"
	}

	switch o.PolicyEnforcementMode {
	case "", "default":
		cfg.enforcementMode = option.DefaultEnforcement
	case "always":
		cfg.enforcementMode = option.AlwaysEnforce
	case "never":
		cfg.enforcementMode = option.NeverEnforce
	default:
		return cfg, fmt.Errorf("options.policyEnforcementMode: %q is not one of default, always, never", o.PolicyEnforcementMode)
	}

	// Kubernetes resolves the agent default `auto` to `always` at start-up.
	allowLocalhost := option.AllowLocalhostAlways
	switch o.AllowLocalhost {
	case "", "always":
	case "policy":
		allowLocalhost = option.AllowLocalhostPolicy
	default:
		return cfg, fmt.Errorf("options.allowLocalhost: %q is not one of always, policy", o.AllowLocalhost)
	}

	nonDefaultDeny := true
	if o.EnableNonDefaultDenyPolicies != nil {
		nonDefaultDeny = *o.EnableNonDefaultDenyPolicies
	}

	c := option.Config
	c.UnsafeDaemonConfigOption.AllowLocalhost = allowLocalhost
	c.EnableNonDefaultDenyPolicies = nonDefaultDeny
	c.EnablePolicy = cfg.enforcementMode
	c.ClusterName = cfg.clusterName
	c.ClusterID = 0
	// Helm defaults: IPv4 only, L7 proxy and ICMP rules on, host firewall, node selector labels
	// and extended IP protocols off.
	c.EnableIPv4 = true
	c.EnableIPv6 = false
	c.EnableL7Proxy = true
	c.EnableICMPRules = true
	c.EnableHostFirewall = false
	c.EnableNodeSelectorLabels = false
	c.EnableExtendedIPProtocols = false
	c.PolicyCIDRMatchMode = nil
	if o.CIDRMatchNodes {
		c.PolicyCIDRMatchMode = []string{"nodes"}
	}

	policy.SetPolicyEnabled(cfg.enforcementMode)
	api.InitEntities(cfg.clusterName)
	return cfg, nil
}

package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"

	ipcachetypes "github.com/cilium/cilium/pkg/ipcache/types"
	v2 "github.com/cilium/cilium/pkg/k8s/apis/cilium.io/v2"
	"github.com/cilium/cilium/pkg/policy/api"
	policytypes "github.com/cilium/cilium/pkg/policy/types"
	"github.com/cilium/cilium/pkg/policy/utils"
)

// parsedPolicy is one manifest after the agent's import path: Parse (Sanitize plus namespace
// and cluster scoping) and RulesToPolicyEntries, keyed by the resource the agent would use.
type parsedPolicy struct {
	result   PolicyResult
	resource ipcachetypes.ResourceID
	rules    api.Rules
	entries  policytypes.PolicyEntries
}

type manifestHead struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// parsePolicy decodes a CNP/CCNP manifest into Cilium's own Go types and runs the agent's
// Parse. A CNP without metadata.namespace lands in "default", as `kubectl apply` would put it.
func parsePolicy(raw json.RawMessage, clusterName string) parsedPolicy {
	var head manifestHead
	if err := json.Unmarshal(raw, &head); err != nil {
		return rejected(PolicyResult{Kind: "?"}, fmt.Errorf("manifest is not a JSON object: %w", err))
	}
	res := PolicyResult{Kind: head.Kind, Name: head.Metadata.Name}

	switch head.Kind {
	case "CiliumNetworkPolicy":
		var cnp v2.CiliumNetworkPolicy
		if err := json.Unmarshal(raw, &cnp); err != nil {
			return rejected(res, fmt.Errorf("decode: %w", err))
		}
		if cnp.Namespace == "" {
			cnp.Namespace = "default"
		}
		res.Namespace = cnp.Namespace
		rules, err := cnp.Parse(discardLogger, clusterName)
		if err != nil {
			return rejected(res, err)
		}
		return accepted(res, ipcachetypes.NewResourceID(ipcachetypes.ResourceKindCNP, cnp.Namespace, cnp.Name), rules)
	case "CiliumClusterwideNetworkPolicy":
		var ccnp v2.CiliumClusterwideNetworkPolicy
		if err := json.Unmarshal(raw, &ccnp); err != nil {
			return rejected(res, fmt.Errorf("decode: %w", err))
		}
		rules, err := ccnp.Parse(discardLogger, clusterName)
		if err != nil {
			return rejected(res, err)
		}
		return accepted(res, ipcachetypes.NewResourceID(ipcachetypes.ResourceKindCCNP, "", ccnp.Name), rules)
	default:
		return rejected(res, fmt.Errorf("kind %q is not CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy", head.Kind))
	}
}

func rejected(res PolicyResult, err error) parsedPolicy {
	res.Accepted = false
	res.Error = normalizeError(err.Error())
	return parsedPolicy{result: res}
}

var combiningPeers = regexp.MustCompile(`combining (\w+) and (\w+) is not supported yet`)

// normalizeError makes Cilium's error text deterministic: Sanitize names two conflicting peer
// kinds in Go map iteration order, so the oracle sorts the pair.
func normalizeError(msg string) string {
	return combiningPeers.ReplaceAllStringFunc(msg, func(m string) string {
		kinds := combiningPeers.FindStringSubmatch(m)[1:]
		if kinds[1] == "ToPorts" {
			return m
		}
		sort.Strings(kinds)
		return fmt.Sprintf("combining %s and %s is not supported yet", kinds[0], kinds[1])
	})
}

func accepted(res PolicyResult, resource ipcachetypes.ResourceID, rules api.Rules) parsedPolicy {
	res.Accepted = true
	return parsedPolicy{result: res, resource: resource, rules: rules, entries: utils.RulesToPolicyEntries(rules)}
}

// unsupportedFeature names a rule feature whose outcome depends on cluster objects that a vector
// cannot carry (Services, CiliumCIDRGroups, cloud groups), or "" when the rules are self-contained.
func unsupportedFeature(rules api.Rules) string {
	for _, r := range rules {
		for _, e := range r.Egress {
			if len(e.ToServices) > 0 {
				return "toServices needs Service and Endpoints objects"
			}
			if len(e.ToGroups) > 0 {
				return "toGroups needs a cloud provider"
			}
			if cidrGroups(e.ToCIDRSet) {
				return "cidrGroupRef/cidrGroupSelector need CiliumCIDRGroup objects"
			}
		}
		for _, e := range r.EgressDeny {
			if len(e.ToServices) > 0 {
				return "toServices needs Service and Endpoints objects"
			}
			if len(e.ToGroups) > 0 {
				return "toGroups needs a cloud provider"
			}
			if cidrGroups(e.ToCIDRSet) {
				return "cidrGroupRef/cidrGroupSelector need CiliumCIDRGroup objects"
			}
		}
		for _, i := range r.Ingress {
			if len(i.FromGroups) > 0 {
				return "fromGroups needs a cloud provider"
			}
			if cidrGroups(i.FromCIDRSet) {
				return "cidrGroupRef/cidrGroupSelector need CiliumCIDRGroup objects"
			}
		}
		for _, i := range r.IngressDeny {
			if len(i.FromGroups) > 0 {
				return "fromGroups needs a cloud provider"
			}
			if cidrGroups(i.FromCIDRSet) {
				return "cidrGroupRef/cidrGroupSelector need CiliumCIDRGroup objects"
			}
		}
	}
	return ""
}

func cidrGroups(set api.CIDRRuleSlice) bool {
	for _, c := range set {
		if c.CIDRGroupRef != "" || c.CIDRGroupSelector.LabelSelector != nil {
			return true
		}
	}
	return false
}

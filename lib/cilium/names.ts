/** Kubernetes object-name rules the API server applies to Cilium policies (metadata.name, metadata.namespace). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_LABEL_MAX = 63;

/** Why `name` is not a DNS-1123 subdomain (the rule for custom resource names), or undefined when it is one. */
export function dns1123SubdomainProblem(name: unknown): string | undefined {
  if (typeof name !== 'string')
    return `it is ${name === undefined ? 'missing' : `a ${typeof name}, not a string`}`;
  if (name.length === 0) return 'it is empty';
  if (name.length > DNS1123_SUBDOMAIN_MAX) return `it is longer than ${DNS1123_SUBDOMAIN_MAX} characters`;
  if (name.split('.').some((part) => !DNS1123_LABEL.test(part))) {
    return "it must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character";
  }
  return undefined;
}

/** Why `name` is not a DNS-1123 label (the rule for namespace names), or undefined when it is one. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > DNS1123_LABEL_MAX) return `it is longer than ${DNS1123_LABEL_MAX} characters`;
  if (!DNS1123_LABEL.test(name))
    return "it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character";
  return undefined;
}

/** A name suggestion: lower case, invalid characters replaced by '-', trimmed to alphanumerics at both ends. */
export function dns1123Suggestion(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^-a-z0-9.]+/g, '-')
      .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
      .slice(0, DNS1123_SUBDOMAIN_MAX) || 'my-policy'
  );
}

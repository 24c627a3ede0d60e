/**
 * Kubernetes object names. The API server refuses a `metadata.name` that is not a DNS-1123
 * subdomain: at most 253 characters, lowercase alphanumerics, `-` and `.`, starting and ending
 * with an alphanumeric character.
 */

export const MAX_DNS1123_SUBDOMAIN_LENGTH = 253;

const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `name` is not a valid object name, or undefined when it is one. */
export function dns1123SubdomainProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'a name must be a non-empty string';
  if (name.length > MAX_DNS1123_SUBDOMAIN_LENGTH) {
    return `${name.length} characters is longer than the ${MAX_DNS1123_SUBDOMAIN_LENGTH} the API server accepts`;
  }
  if (!DNS1123_SUBDOMAIN_RE.test(name)) {
    return 'not a DNS-1123 subdomain (lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit)';
  }
  return undefined;
}

export function isDns1123Subdomain(name: unknown): name is string {
  return dns1123SubdomainProblem(name) === undefined;
}

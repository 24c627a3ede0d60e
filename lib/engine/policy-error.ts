/** A policy the agent or API server would reject, at `path` in the manifest: the engine skips it whole. */
export class PolicyError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

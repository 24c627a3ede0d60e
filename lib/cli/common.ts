import { FlowInputError } from '../hubble/input-error';
import { ManifestLoadError } from '../manifest/load';
import { ReplayInputError } from '../replay/replay-input-error';

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** Findings: an error-level lint finding, a flow that would be dropped, a blocker. */
export const EXIT_FINDINGS = 1;
/** Unusable input: unreadable file, syntax error, bad flag value. */
export const EXIT_BAD_INPUT = 2;

/** Input problem to report with exit code 2 (name the file and line in the message). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs a command action, mapping input errors to exit code 2 with a one-line message. */
export async function runAction(action: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e) {
    if (
      e instanceof ManifestLoadError ||
      e instanceof UsageError ||
      e instanceof FlowInputError ||
      e instanceof ReplayInputError
    ) {
      process.stderr.write(`cilium-lockdown: ${e.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
      return;
    }
    throw e;
  }
}

/** Writes text to stdout, ending with a single newline. */
export function printOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

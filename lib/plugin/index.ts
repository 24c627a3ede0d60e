import * as fs from 'fs';
import { lintManifests, LintFinding, LintSeverity } from '../lint';
import { ManifestLoadError, parseManifests } from '../manifest/load';
import { SourcedManifest } from '../manifest/types';

/**
 * The parts of cdk8s-cli's validation context the plugin uses (cdk8s-cli `lib/plugins/validation.d.ts`);
 * declared here so the plugin needs no runtime dependency on the CLI.
 */
export interface ValidationContextLike {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      readonly ruleName: string;
      readonly recommendation: string;
      readonly fix: string;
      readonly violatingResources: ReadonlyArray<{
        readonly resourceName: string;
        readonly locations: readonly string[];
        readonly manifestPath: string;
      }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
}

export interface CiliumLockdownValidationProps {
  /**
   * Lowest severity that fails the synth. Warnings are reported either way.
   * @default 'error'
   */
  readonly failOn?: LintSeverity;
  /** Rule IDs not to report. @default none */
  readonly ignoreRules?: readonly string[];
  /** In-cluster CIDRs for `cidr-for-in-cluster-peer`. @default the linter's defaults */
  readonly clusterCidrs?: readonly string[];
}

/**
 * cdk8s validation plugin: lints every manifest the app synthesizes (constructs, hand-written
 * `ApiObject`s and `Include`d YAML alike). Configure it in cdk8s.yaml under `validations:` with
 * `class: CiliumLockdownValidation`; properties are {@link CiliumLockdownValidationProps}.
 */
export class CiliumLockdownValidation {
  private readonly props: CiliumLockdownValidationProps;

  constructor(props: CiliumLockdownValidationProps = {}) {
    if (props.failOn !== undefined && props.failOn !== 'error' && props.failOn !== 'warning') {
      throw new Error(
        `CiliumLockdownValidation: failOn must be "error" or "warning", got ${JSON.stringify(props.failOn)}`,
      );
    }
    this.props = props;
  }

  async validate(context: ValidationContextLike): Promise<void> {
    const sourced: SourcedManifest[] = [];
    for (const file of [...context.manifests].sort()) {
      try {
        sourced.push(...parseManifests(fs.readFileSync(file, 'utf8'), file));
      } catch (e) {
        const reason = e instanceof ManifestLoadError ? e.message : `${file}: ${(e as Error).message}`;
        context.report.addViolation({
          ruleName: 'unreadable-manifest',
          recommendation: reason,
          fix: 'fix the YAML of the synthesized manifest',
          violatingResources: [{ resourceName: file, locations: [], manifestPath: file }],
        });
        context.report.submit('failure');
        return;
      }
    }
    const report = lintManifests(sourced, {
      ignoreRules: this.props.ignoreRules,
      clusterCidrs: this.props.clusterCidrs,
    });
    for (const f of report.findings) context.report.addViolation(toViolation(f));
    const failing = this.props.failOn === 'warning' ? report.findings.length : report.summary.errors;
    const s = report.summary;
    context.logger.log(
      `cilium-lockdown: ${s.errors} errors, ${s.warnings} warnings in ${s.policies} Cilium policies`,
    );
    context.report.submit(failing > 0 ? 'failure' : 'success', {
      errors: String(s.errors),
      warnings: String(s.warnings),
      policies: String(s.policies),
    });
  }
}

function toViolation(f: LintFinding) {
  return {
    ruleName: `${f.rule} (${f.severity})`,
    recommendation: f.message,
    fix: f.fix,
    violatingResources: [{ resourceName: f.name, locations: [f.path], manifestPath: f.file ?? '' }],
  };
}

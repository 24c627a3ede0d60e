import { App, type AppProps } from 'cdk8s';
import { CiliumHelmValues } from './cilium-helm-values';
import { writeFileAtomic } from '../manifest/write-atomic';
import { continueSynth } from '../policy/synth-pass';

/**
 * A cdk8s App that also writes the Helm values files of its `CiliumHelmValues` constructs
 * (default `<outdir>/cilium/values.yaml`) when synthesized. Every construct is validated and every
 * values file rendered before anything is written; each file is replaced atomically.
 */
export class LockdownApp extends App {
  public constructor(props: AppProps = {}) {
    super(props);
  }

  public synth(): void {
    const errors = this.node
      .findAll()
      .flatMap((construct) => construct.node.validate().map((error) => `[${construct.node.path}] ${error}`));
    if (errors.length > 0)
      throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    const files = CiliumHelmValues.findAll(this).map((values) => ({
      file: values.filePath(this.outdir),
      text: values.toYaml(),
    }));
    continueSynth(this, () => super.synth());
    for (const { file, text } of files) writeFileAtomic(file, text);
  }
}

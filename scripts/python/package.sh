#!/usr/bin/env bash
# Builds the Python wheel (and sdist) of the construct API with jsii-pacmak into
# build/packages/python/ (package.json's jsii.outdir; not dist/, which `cdk8s synth` empties). `npm run build` runs jsii, which writes the assembly
# (.jsii) that pacmak reads; pacmak then packs the npm package into the wheel, builds the wheel in
# a virtualenv of its own (setuptools, build and twine from PyPI; pip caches them) and checks it.
set -euo pipefail
cd "$(dirname "$0")/../.."
# pacmak runs on Node 20 (the project's floor); its end-of-life banner is not a problem here.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

npm run --silent build
# Always a fresh wheel: pacmak's fingerprint covers the assembly, not the JavaScript it packs.
rm -rf build/packages/python
npx jsii-pacmak --targets python --no-npmignore --pack-command 'npm pack --ignore-scripts'
wheel=$(ls build/packages/python/*.whl)
echo "built $wheel ($(du -k "$wheel" | cut -f1) KiB)"

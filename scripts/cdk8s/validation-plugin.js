// The validation plugin for this repository's own cdk8s.yaml, loaded from the TypeScript sources
// (through tsx) so that `npm ci && npx cdk8s synth` needs no build step. Apps that install the
// package point cdk8s.yaml at node_modules/cdk8s-cilium-lockdown/build/lib/plugin instead.
const tsx = require('tsx/cjs/api');

module.exports = tsx.require('../../lib/plugin', module.filename);

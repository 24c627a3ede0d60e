import * as fs from 'fs';
import * as path from 'path';
import { crdValidatorsSource, GENERATED_VALIDATORS } from './validators-source';

/** Writes the CRD schema validators compiled ahead of time (see validators-source.ts). */
const target = path.join(__dirname, '..', '..', GENERATED_VALIDATORS);
fs.writeFileSync(target, crdValidatorsSource());
process.stdout.write(`wrote ${GENERATED_VALIDATORS} (${fs.statSync(target).size} bytes)\n`);

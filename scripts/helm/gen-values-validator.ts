import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_VALUES_VALIDATOR, valuesValidatorSource } from './values-validator-source';

/** Writes the chart's values validator compiled ahead of time (see values-validator-source.ts). */
const target = path.join(__dirname, '..', '..', GENERATED_VALUES_VALIDATOR);
fs.writeFileSync(target, valuesValidatorSource());
process.stdout.write(`wrote ${GENERATED_VALUES_VALIDATOR} (${fs.statSync(target).size} bytes)\n`);

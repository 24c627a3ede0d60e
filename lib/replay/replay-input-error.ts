/** A replay option or input the run cannot work with (bad time bound, empty or non-Hubble export, unwritable output). */
export class ReplayInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayInputError';
  }
}

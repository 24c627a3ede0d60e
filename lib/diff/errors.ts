/** Input the diff cannot evaluate faithfully; the message names the file and line. */
export class DiffInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffInputError';
  }
}

/** A flow export that cannot be used at all (missing, a directory, binary, unreadable from the first byte). */
export class FlowInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowInputError';
  }
}

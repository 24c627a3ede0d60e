/** Writes text; returns a promise when the caller should wait for the stream to drain. */
export type Write = (text: string) => Promise<void> | undefined;

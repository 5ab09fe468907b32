/** An output location a command cannot or must not write; the message says which and why. */
export class OutputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OutputError';
  }
}

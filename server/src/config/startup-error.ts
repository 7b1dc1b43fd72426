/**
 * Something outside the code stops a start (a bad variable, a private folder, a taken port): the
 * message says what and how to fix it, and the command line prints it without a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    // Whatever prints it (a test runner too) shows the message, not our frames: the fix is outside.
    this.stack = message;
  }
}

/** What a command prints when it fails: the message alone for a StartupError, everything otherwise. */
export const describeFailure = (error: unknown): unknown => (error instanceof StartupError ? error.message : error);

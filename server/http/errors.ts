// The one error shape of the hub: HTTP status + {error: code, message}. Routes throw HubError;
// the error handler in app.ts turns it (and Fastify's own errors) into that JSON.
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const unauthorized = (code: string, message: string) => new HubError(401, code, message);
export const badRequest = (code: string, message: string) => new HubError(400, code, message);

// One way to answer a typed call that crosses a process boundary, for every method map (the
// kiosk's and the desk's): validate the input with the method's schema, run its handler, and turn
// every failure into a typed error value. Unexpected errors are reported to `onInternalError`
// (for a log) and cross the boundary without their details.
import type { z } from 'zod';

export interface Issue {
  path: string;
  message: string;
}

/** A zod error as plain {path, message} pairs, for typed error values across a boundary. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** The error values every method map shares; a service adds its own codes and fields. */
export interface CallError {
  code: string;
  message: string;
  issues?: Issue[];
}

export type CallOutcome<E extends CallError> =
  { ok: true; value: unknown } | { ok: false; error: E | CallError };

export interface DispatchRules<E extends CallError> {
  /** Who answers, for the message of an internal error ("the kiosk", "the desk"). */
  owner: string;
  /** A more specific error for an input that failed its schema, or null for invalid_input. */
  refineInvalidInput?: (method: string, issues: Issue[]) => E | null;
  /** The service's own typed error as an error value; null for anything unexpected. */
  knownError(error: unknown): E | null;
}

export async function dispatchCall<E extends CallError>(
  methods: Readonly<Record<string, { input: z.ZodType }>>,
  handlers: object,
  method: unknown,
  rawInput: unknown,
  rules: DispatchRules<E>,
  onInternalError: (method: string, error: unknown) => void,
): Promise<CallOutcome<E>> {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(methods, method)) {
    return {
      ok: false,
      error: { code: 'unknown_method', message: `no such method: ${String(method).slice(0, 64)}` },
    };
  }
  const parsed = methods[method]!.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    const refined = rules.refineInvalidInput?.(method, issues);
    if (refined) return { ok: false, error: refined };
    const first = issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `${method}: ${first ? `${first.path || 'input'}: ${first.message}` : 'invalid input'}`,
        issues,
      },
    };
  }
  try {
    const handler = (handlers as Record<string, (input: unknown) => Promise<unknown>>)[method]!;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const known = rules.knownError(error);
    if (known) return { ok: false, error: known };
    onInternalError(method, error);
    return {
      ok: false,
      error: { code: 'internal', message: `${method} failed inside ${rules.owner}` },
    };
  }
}

// zod at the edge: a request that does not match its schema gets a 400 naming what is wrong.
import type { z } from 'zod';
import { HubError } from './errors';

export function parseOr400<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more =
    result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
  throw new HubError(400, 'invalid_' + what, `${issues.join('; ')}${more}`);
}

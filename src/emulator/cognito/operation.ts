import { z } from 'zod';
import type { Clock } from '../clock.js';
import { CognitoError } from './errors.js';
import type { CognitoState } from './state.js';

export interface OperationContext {
  state: CognitoState;
  clock: Clock;
  /** `http://host:port`; a pool's issuer is this plus `/<poolId>` unless configured otherwise. */
  issuerBase(): string;
}

export interface Operation {
  run(input: unknown, ctx: OperationContext): Promise<unknown>;
}

/** AWS names members in validation messages in camelCase: `ClientId` becomes `clientId`. */
const memberName = (path: PropertyKey[]) =>
  path
    .map((p) => (typeof p === 'string' && /^[A-Z][a-z]/.test(p) ? p.charAt(0).toLowerCase() + p.slice(1) : String(p)))
    .join('.');

/**
 * Maps a schema failure to what AWS answers: a missing member is InvalidParameterException in the
 * "1 validation error detected" form; a member of the wrong JSON type is a SerializationException.
 */
function toAwsError(error: z.ZodError): CognitoError {
  const wrongType = error.issues.find((i) => i.code === 'invalid_type' && i.input !== undefined);
  if (wrongType) {
    return new CognitoError(
      'SerializationException',
      `Unexpected ${typeof wrongType.input} value for member '${memberName(wrongType.path)}', expected ${
        'expected' in wrongType ? String(wrongType.expected) : 'another type'
      }`,
    );
  }
  const problems = error.issues.map((issue) => {
    const at = memberName(issue.path);
    if (issue.code === 'invalid_type' || issue.input === undefined)
      return `Value null at '${at}' failed to satisfy constraint: Member must not be null`;
    if (issue.code === 'invalid_value') {
      return `Value '${String(issue.input)}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${issue.values.join(', ')}]`;
    }
    return `Value at '${at}' failed to satisfy constraint: ${issue.message}`;
  });
  return new CognitoError(
    'InvalidParameterException',
    `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
  );
}

/** One API operation: its input schema (AWS's shape) and the handler that runs on valid input. */
export function operation<S extends z.ZodType>(
  schema: S,
  handler: (input: z.infer<S>, ctx: OperationContext) => unknown,
): Operation {
  return {
    async run(input, ctx) {
      const parsed = schema.safeParse(input ?? {}, { reportInput: true });
      if (!parsed.success) throw toAwsError(parsed.error);
      return handler(parsed.data, ctx);
    },
  };
}

export const attributeList = z.array(z.object({ Name: z.string().min(1), Value: z.string().optional() }));
export const stringMap = z.record(z.string(), z.string());

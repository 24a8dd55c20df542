import { echo } from './echo.js';
import { hello } from './hello.js';
import type { ProxyHandler } from './types.js';
import { whoami } from './whoami.js';

/** The handlers an API route may name. */
export const lambdaHandlers: Record<string, ProxyHandler> = { hello, whoami, echo };

import type { ProxyHandler } from './types.js';

/** The walkthrough's function: 200 and the JSON string "Hello from Lambda!". */
export const hello: ProxyHandler = async () => ({
  statusCode: 200,
  body: JSON.stringify('Hello from Lambda!'),
});

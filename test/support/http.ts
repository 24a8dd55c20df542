/** A response body as JSON, typed loosely: tests assert on its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const readJson = (res: Response): Promise<any> => res.json();

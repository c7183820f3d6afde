/**
 * Polls `condition` until it holds or `timeoutMs` passes (then throws with `what`). For tests against
 * real infrastructure, where delivery happens on the server's schedule: it waits for an outcome, never races one.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
  }
}

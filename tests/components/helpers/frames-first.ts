/**
 * Runs `fn` (typically `act(async () => answer())`, letting a held server answer go) as a busy browser
 * would: every animation frame asked for meanwhile is drawn at once, before React renders what the
 * answer changed. A focus handed over in such a frame finds what it looked for not rendered yet.
 */
export async function withFramesBeforeRender(fn: () => Promise<void>): Promise<void> {
  const frame = window.requestAnimationFrame;
  window.requestAnimationFrame = (cb) => (cb(performance.now()), 0);
  try {
    await fn();
  } finally {
    window.requestAnimationFrame = frame;
  }
}

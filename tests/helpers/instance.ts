// Runs one Hibiki instance (no pages) as its own process, so a test can SIGKILL it.
// Prints one JSON line {"port": N} when listening.
import { loadConfig } from "../../lib/config";
import { startServer } from "../../server";

void (async () => {
  const server = await startServer(loadConfig(), { next: false });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
})();

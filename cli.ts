/**
 * Commands for the operator of the machine, run next to the server's configuration:
 *
 *   node dist/cli.js reset-password <name>
 *   node dist/cli.js held-names
 *   node dist/cli.js release-name <name>
 *
 * `reset-password` gives the account <name> a new random password, printed once on standard output, and
 * ends its sessions: the way back in for someone, an admin included, who lost theirs when no other admin
 * can reset it on /admin. `held-names` lists the names accounts gave up that are still held for them
 * (NAME_HOLD_SECONDS), one per line: name, the account it is held for, until when; `release-name` ends
 * the hold of <name> at once (its former holder agreeing), so someone else may take it. Each reads the
 * same environment as the server (DATA_DIR or DATABASE_URL). With the
 * embedded database (PGlite) the server must be stopped first: the data dir is one process's at a time
 * (lockDataDir), and the command says so when it is in use. Exit codes: 0 done, 1 refused or failed
 * (the reason on standard error), 2 bad usage.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { resetPassword } from "./lib/auth/accounts";
import { listNameHolds, releaseNameHold } from "./lib/chat/users";
import { loadConfig } from "./lib/config";
import { DatabaseOpenError, openDatabase } from "./lib/db";
import { AppError } from "./lib/errors";

const USAGE = "usage: node dist/cli.js reset-password <name> | held-names | release-name <name>";

/**
 * Runs the command in `argv` (without node and the script), writing to `out` / `err`; resolves to the
 * exit code. Exported for the tests, which run it against a real database.
 */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: { out: (line: string) => void; err: (line: string) => void },
): Promise<number> {
  const [command, name, ...rest] = argv;
  const named = command === "reset-password" || command === "release-name";
  if (!(named || command === "held-names") || (named ? !name || rest.length > 0 : name !== undefined)) {
    io.err(USAGE);
    return 2;
  }
  let db;
  try {
    const config = loadConfig(env);
    // A mistyped DATA_DIR must not leave a new, empty database behind.
    if (!config.databaseUrl && !existsSync(path.join(config.dataDir, "PG_VERSION"))) {
      io.err(`no Hibiki database in DATA_DIR ${config.dataDir}: run this with the server's DATA_DIR or DATABASE_URL`);
      return 1;
    }
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    io.err(err instanceof DatabaseOpenError ? err.message : `could not open the database: ${(err as Error).message}`);
    return 1;
  }
  try {
    if (command === "held-names") {
      const holds = await listNameHolds(db);
      for (const h of holds) io.out(`${JSON.stringify(h.name)}\theld for ${JSON.stringify(h.heldFor)}\tuntil ${h.until}`);
      io.err(`${holds.length} name(s) held`);
      return 0;
    }
    if (command === "release-name") {
      const released = await releaseNameHold(db, name);
      if (!released) {
        io.err(`no name held: ${JSON.stringify(name)}`);
        return 1;
      }
      io.err(`"${released.name}" is no longer held for "${released.heldFor}": anyone may take it now`);
      return 0;
    }
    const { user, password, ended } = await resetPassword(db, null, name);
    io.out(password);
    io.err(`new password for "${user.name}" printed above (shown this once); ${ended.length} session(s) ended`);
    // Deactivation is an admin's ban, which a new password does not lift: say so, or the operator hands
    // over a password that only ever gets "this account is deactivated".
    if (user.deactivated) io.err(`note: "${user.name}" is deactivated and still cannot sign in until an admin activates it on /admin`);
    return 0;
  } catch (err) {
    io.err(err instanceof AppError ? `${err.message}: ${JSON.stringify(name)}` : `failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => process.exit(code));
}

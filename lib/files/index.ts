import path from "node:path";
import type { Config } from "../config";
import { openDiskStorage, type FileStorage } from "./storage";

export type { FileStorage } from "./storage";

/**
 * The configured file store: the S3 bucket when S3_BUCKET is set, else local disk under DATA_DIR/files
 * (a temporary directory, removed on close, when the database is in memory).
 */
export function openStorage(config: Pick<Config, "dataDir" | "s3">): Promise<FileStorage> {
  // The S3 client (about 11 MiB resident) is loaded only by deployments that use it.
  if (config.s3) return (require("./s3-storage") as typeof import("./s3-storage")).openS3Storage(config.s3);
  const ephemeral = config.dataDir.startsWith("memory://");
  return openDiskStorage(path.join(config.dataDir, "files"), { ephemeral });
}

import path from "node:path";
import type { Config } from "../config";
import { openS3Storage } from "./s3-storage";
import { openDiskStorage, type FileStorage } from "./storage";

export type { FileStorage } from "./storage";

/**
 * The configured file store: the S3 bucket when S3_BUCKET is set, else local disk under DATA_DIR/files
 * (a temporary directory, removed on close, when the database is in memory).
 */
export function openStorage(config: Pick<Config, "dataDir" | "s3">): Promise<FileStorage> {
  if (config.s3) return openS3Storage(config.s3);
  const ephemeral = config.dataDir.startsWith("memory://");
  return openDiskStorage(path.join(config.dataDir, "files"), { ephemeral });
}

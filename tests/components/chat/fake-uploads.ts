import type { Attachment } from "@/lib/chat/types";
import type { Refusal } from "@/components/auth/api";
import type { StartUpload } from "@/components/chat/use-uploads";
import { UploadError, type UploadProgress } from "@/components/chat/upload-client";

/** One upload the code under test started: the test moves it along, finishes, fails or sees it aborted. */
export type StartedUpload = {
  room: string;
  file: File;
  progress(p: UploadProgress): void;
  finish(a: Attachment): void;
  fail(code: string, m: string, detail?: Omit<Refusal, "code" | "message">): void;
  aborted: boolean;
};

/** A stand-in for the network: `start` is a StartUpload whose uploads land in `started`, in order. */
export function fakeUploads(): { started: StartedUpload[]; start: StartUpload } {
  const started: StartedUpload[] = [];
  const start: StartUpload = (room, file, onProgress) => {
    let resolve!: (a: Attachment) => void;
    let reject!: (e: Error) => void;
    const done = new Promise<Attachment>((res, rej) => ((resolve = res), (reject = rej)));
    const entry: StartedUpload = {
      room,
      file,
      progress: onProgress,
      finish: (a: Attachment) => resolve(a),
      fail: (code: string, m: string, detail?: Omit<Refusal, "code" | "message">) => reject(new UploadError(code, m, detail)),
      aborted: false,
    };
    started.push(entry);
    return { done, abort: () => ((entry.aborted = true), reject(new UploadError("aborted", "cancelled"))) };
  };
  return { started, start };
}

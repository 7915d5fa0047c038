/** @jest-environment jsdom */
/**
 * A file refused as too large says how large it is beside the limit, in sizes that cannot read as the same:
 * the file's rounded up, the limit's rounded down (formatSize). A file of 25.3 MB once read
 * "25 MB – Upload failed: Files can be at most 25 MB."
 */
import { render, screen } from "@testing-library/react";
import { UploadTray } from "@/components/chat/upload-tray";
import { formatSize } from "@/components/chat/format-size";
import type { PendingUpload } from "@/components/chat/use-uploads";

const LIMIT = 26_214_400; // UPLOAD_MAX_BYTES's default: 25 MB

const refused = (size: number): PendingUpload => ({
  key: `u${size}`, name: `big-${size}.bin`, size, loaded: 0, status: "failed",
  error: { code: "too_large", message: "file too large", reason: "file_too_large", limit: LIMIT },
});

describe("a file refused as too large", () => {
  it.each([26_500_000, LIMIT + 1, LIMIT + 600 * 1024, 2 * LIMIT - 1])("shows %d bytes as more than the limit it is over", async (size) => {
    render(<UploadTray items={[refused(size)]} onRemove={() => undefined} />);
    const alert = await screen.findByRole("alert");
    // Without the isolates around the values (user text is isolated in every sentence).
    expect(alert.textContent!.replace(/[\u2066-\u2069]/g, "")).toContain("Files can be at most 25 MB");
    const shown = document.querySelector(".upload-size")!.textContent!;
    expect(shown).not.toBe("25 MB");
    expect(parseFloat(shown)).toBeGreaterThan(25);
  });

  it("rounds sizes to the nearest otherwise, and up or down when asked", () => {
    expect(formatSize(26_500_000, "en-US")).toBe("25 MB");
    expect(formatSize(26_500_000, "en-US", "ceil")).toBe("26 MB");
    expect(formatSize(LIMIT, "en-US", "floor")).toBe("25 MB");
    expect(formatSize(LIMIT, "en-US", "ceil")).toBe("25 MB");
    expect(formatSize(1536, "en-US")).toBe("1.5 KB");
    expect(formatSize(1600, "en-US", "floor")).toBe("1.5 KB");
    expect(formatSize(1600, "en-US", "ceil")).toBe("1.6 KB");
    expect(formatSize(512, "en-US", "ceil")).toBe("512 B");
  });
});

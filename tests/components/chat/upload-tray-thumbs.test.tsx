/** @jest-environment jsdom */
/**
 * The tray of files to send shows an uploaded image's thumbnail beside its name (what will be sent, as
 * Slack shows it), from the server's thumbnail of it; nothing for a file still uploading, one refused, or
 * one with no thumbnail (not an image). The picture says nothing of its own: the name beside it does.
 */
import { render, within } from "@testing-library/react";
import { UploadTray } from "@/components/chat/upload-tray";
import type { PendingUpload } from "@/components/chat/use-uploads";

const image = { id: "i".repeat(22), name: "chart.png", type: "image/png", size: 2048, url: "/api/files/i/chart.png", width: 640, height: 480, thumbUrl: "/api/files/i/chart.png?thumb" };
const sheet = { id: "s".repeat(22), name: "plan.xlsx", type: "application/vnd.ms-excel", size: 4096, url: "/api/files/s/plan.xlsx" };

describe("the upload tray's thumbnails", () => {
  it("shows the server's thumbnail of an uploaded image only, beside its name", () => {
    const items: PendingUpload[] = [
      { key: "a", name: "chart.png", size: 2048, loaded: 2048, status: "done", attachment: image },
      { key: "b", name: "plan.xlsx", size: 4096, loaded: 4096, status: "done", attachment: sheet },
      { key: "c", name: "photo.jpg", size: 9000, loaded: 100, status: "uploading" },
    ];
    const { container } = render(<UploadTray items={items} onRemove={() => undefined} />);
    const rows = container.querySelectorAll("li.upload-item");
    const thumbs = [...rows].map((row) => row.querySelector("img")?.getAttribute("src") ?? null);
    expect(thumbs).toEqual([image.thumbUrl, null, null]);
    const img = rows[0].querySelector("img")!;
    // Decorative: the row is named by the file name next to it.
    expect(img.getAttribute("alt")).toBe("");
    expect(within(rows[0] as HTMLElement).getByText("chart.png")).toBeTruthy();
  });
});

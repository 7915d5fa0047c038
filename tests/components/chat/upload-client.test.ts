/** @jest-environment jsdom */
/**
 * The upload request (upload-client.ts): a file with no name (an image some apps put on the clipboard, a
 * File made by a page) still goes as a file part, named for what it is, not as the nameless part the
 * server takes for a text field and refuses ("The server could not accept this").
 */
import { startUpload } from "@/components/chat/upload-client";
import { uploadName } from "@/components/chat/upload-name";

describe("startUpload", () => {
  const sent: unknown[] = [];
  beforeEach(() => {
    sent.length = 0;
    jest.spyOn(XMLHttpRequest.prototype, "open").mockImplementation(() => undefined);
    jest.spyOn(XMLHttpRequest.prototype, "send").mockImplementation((body) => void sent.push(body));
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ["an image", new File(["png"], "", { type: "image/png" }), "image.png"],
    ["a JPEG", new File(["jpg"], "", { type: "image/jpeg" }), "image.jpg"],
    ["anything else", new File(["x"], "", { type: "" }), "file"],
    ["a named file", new File(["x"], "notes.txt", { type: "text/plain" }), "notes.txt"],
  ])("sends %s with a file name", (_, file, name) => {
    startUpload("general", file, () => undefined);
    expect(sent).toHaveLength(1);
    expect(((sent[0] as FormData).get("file") as File).name).toBe(name);
    expect(uploadName(file)).toBe(name);
  });
});

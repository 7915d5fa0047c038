/** @jest-environment jsdom */
/**
 * A result whose message carries files names them beside its snippet (an outside trial: has:file showed
 * only "Roadmap attached", not which file), on screen and in the result's accessible name; a message of
 * files only, whose snippet is the names already, does not say them twice.
 */
import { render, screen } from "@testing-library/react";
import type { Attachment } from "@/lib/chat/types";
import { SearchResults } from "@/components/search/search-results";
import { hit } from "./fixtures";

const file = (id: string, name: string): Attachment => ({ id, name, type: "application/pdf", size: 1234, url: `/api/files/${id}` });

describe("SearchResults with files", () => {
  it("names the files of a message with text beside its snippet and in its accessible name", () => {
    const withText = hit(3, "dev", "Roadmap attached", [[0, 7]]);
    withText.message = { ...withText.message, text: "Roadmap attached", attachments: [file("u1", "roadmap-2027.pdf"), file("u2", "計画.xlsx")] };
    const onlyFiles = hit(2, "dev", "notes.txt", [[0, 5]]);
    onlyFiles.message = { ...onlyFiles.message, text: "", attachments: [file("u3", "notes.txt")] };
    const plain = hit(1, "dev", "no files here", []);
    render(<SearchResults results={[withText, onlyFiles, plain]} onOpen={() => undefined} />);
    const [first, second, third] = screen.getAllByRole("button");
    expect(first).toHaveAccessibleName(/^bob, .+: Roadmap attached; files: roadmap-2027\.pdf, 計画\.xlsx$/);
    expect([...first.querySelectorAll(".search-hit-file")].map((e) => e.textContent)).toEqual(["roadmap-2027.pdf", "計画.xlsx"]);
    expect(second).toHaveAccessibleName(/^alice, .+: notes\.txt$/);
    expect(second.querySelector(".search-hit-files")).toBeNull();
    expect(third).toHaveAccessibleName(/^bob, .+: no files here$/);
    expect(third.querySelector(".search-hit-files")).toBeNull();
  });
});

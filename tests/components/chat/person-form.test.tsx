/** @jest-environment jsdom */
/**
 * The forms that name one person ("New message", "Add member": person-form.tsx) complete the start of
 * one person's name in the field for the next Enter to send, and send nothing for a start that several
 * names have. The add-member form's own tests are in add-member-form.test.tsx.
 */
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { NewDmForm } from "@/components/chat/new-dm-form";
import { choosePerson } from "@/components/chat/person-form";
import { LangProvider, loadLang } from "@/components/i18n/use-t";
import { isolated } from "../helpers/isolated";
import { suggestPeople } from "../helpers/people-fetch";

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
});

describe("choosePerson", () => {
  const answer = (start: string, names: string[]) => ({ start, names });

  it("takes a name equal to what is typed, case and width aside, before the longer names it starts", () => {
    expect(choosePerson("carl", answer("carl", ["carl", "carla"]))).toEqual({ name: "carl" });
    expect(choosePerson("ＣＡＲＬ", answer("ＣＡＲＬ", ["Carl", "carla"]))).toEqual({ name: "Carl" });
  });

  it("compares names in their stored form (NFC, one space)", () => {
    // Typed with a combining diaeresis and two spaces, it is the start of the stored "Zoë Kim".
    expect(choosePerson("Zoe\u0308  K", answer("Zoe\u0308  K", ["Zo\u00eb Kim", "Zoe"]))).toEqual({ complete: "Zo\u00eb Kim" });
    expect(choosePerson("zoe\u0308 kim", answer("zoe\u0308 kim", ["Zo\u00eb Kim"]))).toEqual({ name: "Zo\u00eb Kim" });
  });

  it("leaves to the server what it is still being asked about, and what it matched by look-alike letters", () => {
    expect(choosePerson("car", null)).toEqual({ name: "car" });
    expect(choosePerson("car", answer("ca", ["carl", "carol"]))).toEqual({ name: "car" });
    // Cyrillic "а": the server's key matches it to "alice"; here it starts nothing.
    expect(choosePerson("\u0430li", answer("\u0430li", ["alice"]))).toEqual({ name: "\u0430li" });
  });

  it("sends one's own name as typed, never to someone whose name starts with it (one is never suggested)", () => {
    expect(choosePerson("carol", answer("carol", ["carol2"]), "Carol")).toEqual({ name: "carol" });
    expect(choosePerson("carol", answer("carol", ["carol2"]), "aiko")).toEqual({ complete: "carol2" });
  });

  it("refuses a start that several names have; leaves one nobody is suggested for to the server (guests, deactivated accounts)", () => {
    expect(choosePerson("ca", answer("ca", ["carl", "carol"]))).toEqual({ error: { key: "error.severalPeople", params: { name: "ca" } } });
    expect(choosePerson("zed", answer("zed", []))).toEqual({ name: "zed" });
  });

  it("completes the start of one name rather than sending it: a name never suggested (a guest's) is not taken for a longer one", () => {
    expect(choosePerson("bob", answer("bob", ["bobby"]))).toEqual({ complete: "bobby" });
    expect(choosePerson("bo", answer("bo", ["bob", "bobby"]))).toEqual({ error: { key: "error.severalPeople", params: { name: "bo" } } });
  });
});

describe("New message", () => {
  beforeAll(() => loadLang("ja"));

  it("says in the UI's language that several people match, sends nothing, and opens the one person's conversation once typed on and chosen", async () => {
    // "cedric" tells the answer for "c" (three names) from the one for "ca" (two), which Enter must wait for.
    suggestPeople(["carl", "carol", "cedric"]);
    const onOpenDm = jest.fn(async (_name: string) => undefined);
    render(
      <LangProvider lang="ja">
        <NewDmForm formId="dm-form" onClose={jest.fn()} onOpenDm={onOpenDm} />
      </LangProvider>,
    );
    const box = screen.getByRole("combobox", { name: "相手の名前" });
    const offered = () => [...document.getElementById(box.getAttribute("list")!)!.querySelectorAll("option")].map((o) => o.value);
    const user = userEvent.setup();
    await user.type(box, "ca");
    await waitFor(() => expect(offered()).toEqual(["carl", "carol"]));
    await user.keyboard("{Enter}");
    expect(screen.getByRole("alert")).toHaveTextContent(isolated`「${"ca"}」に一致する人が複数います。続けて入力するか、候補から選んでください。`);
    expect(box).toHaveFocus();
    await user.type(box, "ro");
    await waitFor(() => expect(offered()).toEqual(["carol"]));
    await user.keyboard("{Enter}");
    expect(box).toHaveValue("carol");
    expect(onOpenDm).not.toHaveBeenCalled();
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onOpenDm).toHaveBeenCalledWith("carol"));
    expect(onOpenDm).toHaveBeenCalledTimes(1);
  });

  it("offers bots too: a conversation can be opened with one (unlike a mention, which never notifies a bot)", async () => {
    suggestPeople(["deploybot", "dena"], { bots: ["deploybot"] });
    render(<NewDmForm formId="dm-form" onClose={jest.fn()} onOpenDm={jest.fn(async () => undefined)} />);
    const box = screen.getByRole("combobox", { name: "Their name" });
    const offered = () => [...document.getElementById(box.getAttribute("list")!)!.querySelectorAll("option")].map((o) => o.value);
    await userEvent.setup().type(box, "de");
    await waitFor(() => expect(offered()).toEqual(["deploybot", "dena"]));
  });
});
